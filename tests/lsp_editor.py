"""The language server driven as an editor drives it: `obligations lsp` in a subprocess, spoken to over stdio by
pygls's client, one request at a time. Used by tests/test_lsp.py and by docs/screenshot/make.py."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

TIMEOUT = 60


class Editor:
    def __init__(self, root: Path, *server_args: str, encodings: list[str] | None = None):
        self.root = Path(root)
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("test-editor", "1")
        self.diagnostics: dict[str, list[T.Diagnostic]] = {}
        self.published = 0
        self.stderr = bytearray()
        self.versions: dict[str, int] = {}
        self._changed: asyncio.Event | None = None

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: T.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics
            self.published += 1
            if self._changed is not None:
                self._changed.set()

        @self.client.feature(T.WINDOW_LOG_MESSAGE)
        def on_log(params: T.LogMessageParams) -> None:
            self.stderr.extend(params.message.encode() + b"\n")

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # As an editor does: the server starts in the workspace's folder (so `python -m` runs the installed package,
        # not a source tree that happens to be the current directory).
        self.run(self.client.start_io(sys.executable, "-m", "obligations.cli", "lsp", *server_args, env=env,
                                      cwd=str(self.root)))
        self.loop.create_task(self._drain())
        caps = T.ClientCapabilities(
            general=T.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
            text_document=T.TextDocumentClientCapabilities(
                hover=T.HoverClientCapabilities(content_format=[T.MarkupKind.Markdown]),
                document_symbol=T.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True)))
        self.init = self.run(self.client.initialize_async(T.InitializeParams(
            process_id=os.getpid(), root_uri=self.root.as_uri(), capabilities=caps,
            workspace_folders=[T.WorkspaceFolder(uri=self.root.as_uri(), name=self.root.name)])))
        self.client.initialized(T.InitializedParams())

    async def _drain(self) -> None:
        proc = self.client._server
        while proc is not None and proc.stderr is not None:
            chunk = await proc.stderr.read(4096)
            if not chunk:
                return
            self.stderr.extend(chunk)

    def run(self, coro, timeout: float = TIMEOUT):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def wait(self, until, timeout: float = TIMEOUT) -> None:
        """Let the server talk until `until()` holds (diagnostics are notifications, they come when they come)."""
        async def go():
            while not until():
                self._changed = asyncio.Event()
                await self._changed.wait()
        self.run(go(), timeout)

    # -- documents
    def open(self, path: Path, text: str | None = None) -> str:
        uri = Path(path).as_uri()
        text = Path(path).read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(
            T.TextDocumentItem(uri=uri, language_id="treaty", version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [T.TextDocumentContentChangeWholeDocument(text=text)]))

    def diagnostics_of(self, uri: str, after: int = 0) -> list[T.Diagnostic]:
        """The diagnostics published for `uri` (after the `after`-th publication of any file)."""
        self.wait(lambda: uri in self.diagnostics and self.published > after)
        return self.diagnostics[uri]

    # -- requests
    def hover(self, uri, line, character):
        return self.run(self.client.text_document_hover_async(T.HoverParams(
            T.TextDocumentIdentifier(uri), T.Position(line, character))))

    def definition(self, uri, line, character):
        return self.run(self.client.text_document_definition_async(T.DefinitionParams(
            T.TextDocumentIdentifier(uri), T.Position(line, character))))

    def references(self, uri, line, character, declaration=True):
        return self.run(self.client.text_document_references_async(T.ReferenceParams(
            text_document=T.TextDocumentIdentifier(uri), position=T.Position(line, character),
            context=T.ReferenceContext(include_declaration=declaration))))

    def completion(self, uri, line, character):
        return self.run(self.client.text_document_completion_async(T.CompletionParams(
            T.TextDocumentIdentifier(uri), T.Position(line, character))))

    def symbols(self, uri):
        return self.run(self.client.text_document_document_symbol_async(T.DocumentSymbolParams(
            T.TextDocumentIdentifier(uri))))

    def format(self, uri):
        return self.run(self.client.text_document_formatting_async(T.DocumentFormattingParams(
            T.TextDocumentIdentifier(uri), T.FormattingOptions(tab_size=2, insert_spaces=True))))

    def code_actions(self, uri, diagnostics):
        rng = diagnostics[0].range if diagnostics else T.Range(T.Position(0, 0), T.Position(0, 0))
        return self.run(self.client.text_document_code_action_async(T.CodeActionParams(
            T.TextDocumentIdentifier(uri), rng, T.CodeActionContext(diagnostics=diagnostics))))

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None), 20)
            self.client.exit(None)
            self.run(self.client.stop(), 20)
        finally:
            proc = self.client._server
            if proc is not None and proc.returncode is None:
                proc.kill()
            self.loop.close()
