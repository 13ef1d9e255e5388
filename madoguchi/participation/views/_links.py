from django.urls import reverse


def cancel_base(request) -> str:
    """The cancel page's absolute URL without the secret (the mails append it)."""
    return request.build_absolute_uri(reverse("events:cancel", kwargs={"token": "x"}))[:-2]
