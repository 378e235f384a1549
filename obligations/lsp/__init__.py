"""The language server behind `obligations lsp`, in layers that can be read (and tested) one at a time:

- `text.py`: positions. The parser's spans are 1-based lines and columns counted in characters; LSP's are
  0-based lines and columns counted in UTF-16 code units (or UTF-8/UTF-32, as negotiated).
- `scan.py`: a small scanner over the grammar's terminals, for text the parser cannot read whole (a file
  being typed) and to tell whether a position is inside a string or a comment.
- `index.py`: every name in a file, located and classified by the grammar rule it appears in (a `NAME` under
  `place_eq` is a place, under `parent` an instrument), and the symbols of the file.
- `analysis.py`: the workspace (the bundled corpus, the workspace's own `.treaty` files, the editor's open
  buffers) and what an editor asks of it: diagnostics (those of `obligations check`), hover, definition,
  references, completion, symbols, formatting, quick fixes. Plain Python values, no LSP types.
- `server.py`: pygls, translating LSP requests into calls of `analysis.py`. The only module that imports
  pygls; `obligations lsp` imports it, nothing else does.
"""
