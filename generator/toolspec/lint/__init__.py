"""`toolspec lint`: what the API would reject, found before anything is generated."""
