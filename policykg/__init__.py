"""policykg: Chinese policy notices → a knowledge graph of policy lineage and agencies."""

__version__ = "0.1.0"
