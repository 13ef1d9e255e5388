"""Pages of the video rooms, one module per feature (ADR 0034): ``rooms`` (the staff call
page, one-time links, the guest page), ``kiosk`` (a booth's kiosk mode), ``files`` (files
shared in the call) and ``recording``."""
