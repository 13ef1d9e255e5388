"""ClamAV adapter: scans uploaded files with clamd (madoguchi.files.scanning.Scanner)."""

from madoguchi.contrib.clamav.client import ClamdScanner

__all__ = ["ClamdScanner"]
