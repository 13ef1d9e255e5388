"""Pages of the video rooms, one module per feature (ADR 0034): ``rooms`` (the staff call
page, the guest page, kiosks, files) and ``recording``."""
