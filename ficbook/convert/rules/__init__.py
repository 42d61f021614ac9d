"""The converter's rules, one small module each."""
