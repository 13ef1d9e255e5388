"""Pages of the community context, one module per feature (ADR 0034): ``public`` (the
rooms and equipment pages, no account), ``groups`` (the group application and login, the
group's page; the staff's approval of groups), ``profiles`` (the groups' public profiles),
``circulars`` (回覧板, for groups, centres and households), ``lending`` (counter lending),
``rooms`` (the staff's room desk), ``usage`` (a room's use, cancellations and no-shows),
``approvals`` (won requests) and ``lottery`` (the monthly draw); ``_common`` holds what
the staff pages share.

The role gate of staff pages is ``policy_required``; which centre is the user's own
district's (ward administrators pick one). Services judge every write; their Japanese
message comes back on the page and nothing is saved.
"""
