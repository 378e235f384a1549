// The VS Code client of `obligations lsp`: plain JavaScript, no build step.
// It starts the language server over stdio for `.treaty` files and passes it the corpus setting.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration("obligations");
  const [command, ...args] = config.get("server.command", ["obligations", "lsp"]);
  // TransportKind.stdio makes the client add `--stdio`, which `obligations lsp` accepts.
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "treaty" },
      { scheme: "untitled", language: "treaty" },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.treaty") },
    initializationOptions: { corpus: config.get("corpus", []) },
  };
  client = new LanguageClient("obligations", "Treaty clauses (obligations lsp)", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `Could not start \`${[command, ...args].join(" ")}\`: ${err.message || err}. ` +
        "Install the server with `pip install 'obligations[lsp]'`, or set obligations.server.command."
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
