"""Facts → RDF triples → store → projections and views."""
