"""Reads of the community context; other contexts import from here (ADR 0034)."""

from madoguchi.community.selectors.approvals import approvable_requests, approval_queue
from madoguchi.community.selectors.circulars import (
    PublishedCircular,
    centre_circulars,
    group_circular_queryset,
    group_circulars,
    group_households,
    printable,
    published_circulars,
    read_status,
    receipt_by_token,
    remind_on,
)
from madoguchi.community.selectors.lending import centre_availability, open_loans
from madoguchi.community.selectors.profiles import (
    PublicProfile,
    public_profile,
    public_profiles,
)
from madoguchi.community.selectors.rooms import availability, district_rooms
from madoguchi.community.selectors.usage import Usage, usage_csv, usage_report

__all__ = ["PublishedCircular", "approvable_requests", "approval_queue", "availability",
           "centre_availability", "centre_circulars",
           "district_rooms", "group_circular_queryset", "group_circulars",
           "group_households", "open_loans", "printable", "public_profile",
           "public_profiles", "PublicProfile", "published_circulars",
           "read_status", "receipt_by_token", "remind_on", "Usage", "usage_csv",
           "usage_report"]
