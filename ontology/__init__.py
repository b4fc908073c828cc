"""The policykg ontology (plo:) and SHACL shapes, as Turtle files."""
