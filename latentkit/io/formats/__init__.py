"""Readers of other tools' files, which never execute code from them."""
