"""Copies for devices: Kobo KEPUB, Kindle AZW3, and copying onto a mounted reader."""
