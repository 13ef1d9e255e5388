"""Pages of the walk-in queue, one module per feature (ADR 0034): ``public`` (without login
and without anyone's name: the reception tablet, the ticket page, the receipt PDF, the call
display and the current waits); for staff ``office`` (issue a ticket, the tablet's key, the
services' settings), ``counters`` (call, call again, absent, done, transfer) and ``log``
(the window-services log with its CSV); ``_common`` holds what they share."""
