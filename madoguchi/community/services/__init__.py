"""Writes of the community context; other contexts import from here (ADR 0034)."""

from madoguchi.community.services.groups import (
    ContactInput,
    group_apply,
    group_decide,
    login_link_request,
    login_open,
    profile_consent,
)
from madoguchi.community.services.lending import lend, remind_overdue, reserve, return_item
from madoguchi.community.services.rooms import (
    check_request,
    closure_add,
    room_book,
    room_cancel,
)

__all__ = ["ContactInput", "check_request", "closure_add", "group_apply", "group_decide",
           "lend", "login_link_request", "login_open", "profile_consent", "remind_overdue",
           "reserve", "return_item", "room_book", "room_cancel"]
