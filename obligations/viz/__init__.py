"""Pictures of what the engine answers: the network of obligations on a date and a scenario's cascade
(`graph.py`), membership time lines (`timeline.py`), and their writers (DOT, GraphML, GEXF, JSON, SVG).

The graphs are computed with the engine's own semantics (the `who` entries of the application layer), never
by re-reading membership lists. Nothing here is imported by a query: networkx (the `graph` extra) is imported
only to write GraphML or GEXF, and Graphviz's `dot` is run only for SVG.
"""
