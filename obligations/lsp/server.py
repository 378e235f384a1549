"""`obligations lsp`: the language server, over stdio, with pygls.

This module only translates: LSP requests into calls of `analysis.Workspace`, the answers back into LSP types,
and positions between the parser's (1-based, characters) and the client's (0-based, in the encoding negotiated
at initialisation: UTF-16 unless the client offers another). Diagnostics are published when a file is opened
or saved, and after a pause in typing (DEBOUNCE_SECONDS) when it changes.
"""

from __future__ import annotations

import sys

import asyncio
import logging
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from obligations.diagnostics import Diagnostic, Severity
from obligations.lsp.analysis import Workspace
from obligations.lsp.index import Symbol
from obligations.lsp.text import LineIndex
from obligations.source import Span

DEBOUNCE_SECONDS = 0.3
SOURCE = "obligations"

_log = logging.getLogger("obligations.lsp")

_SYMBOL_KINDS = {
    "instrument": T.SymbolKind.Module, "article": T.SymbolKind.Namespace, "clause": T.SymbolKind.Method,
    "property": T.SymbolKind.Event, "criterion": T.SymbolKind.Boolean, "definition": T.SymbolKind.Function,
    "place": T.SymbolKind.Object, "region": T.SymbolKind.Package, "term": T.SymbolKind.TypeParameter,
    "state": T.SymbolKind.Class,
}
_COMPLETION_KINDS = {
    "keyword": T.CompletionItemKind.Keyword, "action": T.CompletionItemKind.Function,
    "role": T.CompletionItemKind.Variable, "constant": T.CompletionItemKind.EnumMember,
    "state": T.CompletionItemKind.Class, "place": T.CompletionItemKind.Value, "region": T.CompletionItemKind.Module,
    "term": T.CompletionItemKind.TypeParameter, "definition": T.CompletionItemKind.Function,
    "instrument": T.CompletionItemKind.Reference,
}
# Where names are asked for: after `place =`, `parties `, `is `, `must `, a comma.
TRIGGERS = [" ", "=", ","]


class TreatyServer(LanguageServer):
    def __init__(self, corpus: list[str] | None = None):
        super().__init__("obligations", _version(), text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.corpus = corpus
        self.ws: Workspace | None = None
        self.uris: dict[str, str] = {}  # name -> the URI the client uses for it
        self.published: dict[str, list] = {}
        self.pending: asyncio.TimerHandle | None = None

    # -- names and positions
    def workspace_(self) -> Workspace:
        if self.ws is None:
            self.ws = Workspace([], corpus=self.corpus)
        return self.ws

    def name_of(self, uri: str) -> str:
        for name, u in self.uris.items():
            if u == uri:
                return name
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return Workspace.name_of(path) if path else uri

    def uri_of(self, name: str) -> str:
        if name in self.uris:
            return self.uris[name]
        p = self.workspace_().paths.get(name)
        if p is not None:
            return from_fs_path(str(p)) or p.as_uri()
        return from_fs_path(name) if Path(name).is_absolute() else name

    def lines(self, name: str) -> LineIndex:
        enc = self.workspace.position_encoding if self._workspace_ready() else "utf-16"
        return LineIndex(self.workspace_().text(name) or "", str(enc or "utf-16"))

    def _workspace_ready(self) -> bool:
        try:
            return self.workspace is not None
        except RuntimeError:
            return False

    def range(self, name: str, span: Span, lines: LineIndex | None = None) -> T.Range:
        lines = lines or self.lines(span.file if span.file else name)
        sl, sc = lines.to_lsp(span.line, span.col)
        el, ec = lines.to_lsp(span.end_line, span.end_col)
        if (el, ec) < (sl, sc):
            el, ec = sl, sc
        return T.Range(T.Position(sl, sc), T.Position(el, ec))

    def position(self, name: str, pos: T.Position) -> tuple[int, int]:
        return self.lines(name).from_lsp(pos.line, pos.character)

    def location(self, file: str, span: Span) -> T.Location:
        return T.Location(uri=self.uri_of(file), range=self.range(file, span))

    # -- diagnostics
    def publish(self) -> None:
        self.pending = None
        ws = self.workspace_()
        try:
            found = ws.check()
        except Exception as e:  # a bug of the engine must not take the editor's server down
            _log.exception("check failed")
            self.window_log_message(T.LogMessageParams(T.MessageType.Error, f"obligations: check failed: {e!r}"))
            return
        for name, diags in found.items():
            lines = self.lines(name)
            out = [self.diagnostic(name, d, lines) for d in diags]
            if self.published.get(name) == out:
                continue
            self.published[name] = out
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=self.uri_of(name), diagnostics=out))
        for name in [n for n in self.published if n not in found]:  # a file that left the workspace
            del self.published[name]
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=self.uri_of(name), diagnostics=[]))

    def diagnostic(self, name: str, d: Diagnostic, lines: LineIndex) -> T.Diagnostic:
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "") + (f"\nin {d.trail}" if d.trail else "")
        return T.Diagnostic(
            range=self.range(name, d.span, lines), message=message, code=d.code, source=SOURCE,
            severity=T.DiagnosticSeverity.Error if d.severity == Severity.error else T.DiagnosticSeverity.Warning,
            data={"suggestion": d.suggestion} if d.suggestion else None,
        )

    def schedule(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.publish)


def create_server(corpus: list[str] | None = None) -> TreatyServer:
    server = TreatyServer(corpus)

    @server.feature(T.INITIALIZE)
    def initialize(ls: TreatyServer, params: T.InitializeParams) -> None:
        roots = [to_fs_path(f.uri) for f in params.workspace_folders or []]
        if not roots and params.root_uri:
            roots = [to_fs_path(params.root_uri)]
        elif not roots and params.root_path:
            roots = [params.root_path]
        opts = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        corpus = opts.get("corpus") or ls.corpus
        if isinstance(corpus, str):
            corpus = [corpus]
        ls.ws = Workspace([r for r in roots if r], corpus=corpus)

    @server.feature(T.INITIALIZED)
    def initialized(ls: TreatyServer, params: T.InitializedParams) -> None:
        ls.publish()

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TreatyServer, params: T.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        name = ls.name_of(doc.uri)
        ls.uris[name] = doc.uri
        ls.published.pop(name, None)  # publish again, under the URI the client uses
        path = to_fs_path(doc.uri) if doc.uri.startswith("file:") else None
        ls.workspace_().set_open(name, doc.text, Path(path) if path else None)
        ls.publish()

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TreatyServer, params: T.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.workspace_().set_open(ls.name_of(uri), ls.workspace.get_text_document(uri).source)
        ls.schedule()

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TreatyServer, params: T.DidSaveTextDocumentParams) -> None:
        ls.workspace_().refresh(ls.name_of(params.text_document.uri))
        ls.publish()

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TreatyServer, params: T.DidCloseTextDocumentParams) -> None:
        name = ls.name_of(params.text_document.uri)
        ls.workspace_().close(name)
        ls.workspace_().refresh(name)
        ls.publish()

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: TreatyServer, params: T.DidChangeWatchedFilesParams) -> None:
        ls.workspace_().reload()
        ls.publish()

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: TreatyServer, params: T.HoverParams) -> T.Hover | None:
        name = ls.name_of(params.text_document.uri)
        got = ls.workspace_().hover(name, *ls.position(name, params.position))
        if got is None:
            return None
        return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=got.markdown),
                       range=ls.range(name, got.span))

    @server.feature(T.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: TreatyServer, params: T.DefinitionParams) -> list[T.Location]:
        name = ls.name_of(params.text_document.uri)
        return [ls.location(loc.file, loc.span)
                for loc in ls.workspace_().definition(name, *ls.position(name, params.position))]

    @server.feature(T.TEXT_DOCUMENT_REFERENCES)
    def references(ls: TreatyServer, params: T.ReferenceParams) -> list[T.Location]:
        name = ls.name_of(params.text_document.uri)
        line, col = ls.position(name, params.position)
        return [ls.location(loc.file, loc.span) for loc in
                ls.workspace_().references(name, line, col, params.context.include_declaration)]

    @server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(ls: TreatyServer, params: T.CompletionParams) -> T.CompletionList:
        name = ls.name_of(params.text_document.uri)
        items = []
        for i, c in enumerate(ls.workspace_().completion(name, *ls.position(name, params.position))):
            items.append(T.CompletionItem(
                label=c.label, kind=_COMPLETION_KINDS.get(c.kind, T.CompletionItemKind.Text),
                detail=c.detail or None, sort_text=f"{i:05d}",
                text_edit=T.TextEdit(range=ls.range(name, c.replace), new_text=c.label)))
        return T.CompletionList(is_incomplete=False, items=items)

    @server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: TreatyServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol]:
        name = ls.name_of(params.text_document.uri)
        lines = ls.lines(name)

        def convert(s: Symbol) -> T.DocumentSymbol:
            rng = ls.range(name, s.span, lines)
            sel = ls.range(name, s.selection, lines)
            if not (_le(rng.start, sel.start) and _le(sel.end, rng.end)):
                sel = rng
            detail = s.detail if len(s.detail) <= 120 else s.detail[:117] + "..."
            return T.DocumentSymbol(name=s.name, kind=_SYMBOL_KINDS.get(s.kind, T.SymbolKind.Variable),
                                    range=rng, selection_range=sel, detail=detail or None,
                                    children=[convert(c) for c in s.children] or None)

        return [convert(s) for s in ls.workspace_().symbols(name)]

    @server.feature(T.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: TreatyServer, params: T.DocumentFormattingParams) -> list[T.TextEdit] | None:
        name = ls.name_of(params.text_document.uri)
        ws = ls.workspace_()
        out = ws.format(name)
        text = ws.text(name)
        if out is None or text is None or out == text:
            return [] if out is not None else None
        lines = ls.lines(name)
        end = lines.to_lsp(*lines.end())
        return [T.TextEdit(range=T.Range(T.Position(0, 0), T.Position(*end)), new_text=out)]

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
    def code_actions(ls: TreatyServer, params: T.CodeActionParams) -> list[T.CodeAction]:
        name = ls.name_of(params.text_document.uri)
        ws = ls.workspace_()
        lines = ls.lines(name)
        out = []
        for d in params.context.diagnostics:
            if d.source != SOURCE:
                continue
            suggestion = d.data.get("suggestion") if isinstance(d.data, dict) else None
            if not suggestion:
                continue
            sl, sc = lines.from_lsp(d.range.start.line, d.range.start.character)
            el, ec = lines.from_lsp(d.range.end.line, d.range.end.character)
            edit = ws.quick_fix(name, Span(name, sl, sc, el, ec), suggestion)
            if edit is None:
                continue
            out.append(T.CodeAction(
                title=f'Replace with "{suggestion}"', kind=T.CodeActionKind.QuickFix, diagnostics=[d],
                is_preferred=True,
                edit=T.WorkspaceEdit(changes={params.text_document.uri: [
                    T.TextEdit(range=ls.range(name, edit.span, lines), new_text=edit.new_text)]})))
        return out

    return server


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("obligations")
    except Exception:
        return "unknown"


def _le(a: T.Position, b: T.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def main(corpus: list[str] | None = None) -> int:
    # The protocol's own streams, not the CLI's escaping writer: JSON-RPC frames are for the editor, not a
    # terminal (their CR LF headers must pass as they are).
    create_server(corpus).start_io(sys.__stdin__.buffer, sys.__stdout__.buffer)
    return 0
