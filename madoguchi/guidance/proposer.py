"""The guidance engine as a routing proposer for consultation intake (filled in below)."""

from __future__ import annotations


def guidance_proposal(consultation):
    return None
