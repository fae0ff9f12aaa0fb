// The supc extension: .sup highlighting (syntaxes/), editing rules
// (language-configuration.json) and `supc lsp` as the language server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('supc');
  const args = ['lsp'];
  const stdlib = config.get('stdlib');
  if (stdlib) args.push('--stdlib', stdlib);
  return { command: config.get('path') || 'supc', args };
}

async function activate(context) {
  client = new LanguageClient('supc', 'supc', serverOptions(), {
    documentSelector: [{ language: 'sup' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.sup,.supc-lint}') },
  });
  context.subscriptions.push(
    vscode.commands.registerCommand('supc.restartServer', async () => {
      await client.stop();
      client = new LanguageClient('supc', 'supc', serverOptions(), client.clientOptions);
      await client.start();
    }));
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
