"""Reads of the community context; other contexts import from here (ADR 0034)."""

from madoguchi.community.selectors.lending import centre_availability, open_loans
from madoguchi.community.selectors.rooms import availability, district_rooms, usage_report

__all__ = ["availability", "centre_availability", "district_rooms", "open_loans",
           "usage_report"]
