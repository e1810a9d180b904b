"""sprss: socio-demographic analysis for Czech social-services plans."""
