"""Interim stand-ins for interfaces other branches provide (CONTRACTS.md).

Each module mirrors the contract of its real counterpart exactly, so that when
core-audit / accounts are merged the imports switch to the real modules and
these files are deleted. Nothing outside `samverkan.intake` imports them.
"""
