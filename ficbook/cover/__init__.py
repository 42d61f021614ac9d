"""Generated covers (Pillow). The cover issue makes these good; see covers/."""
