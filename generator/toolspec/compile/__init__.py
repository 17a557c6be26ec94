"""From the intermediate representation to what the API and the application use."""
