import assert from 'node:assert/strict';
import { resolveExpandedNodeId, NodeIdError } from '../src/node-ids.js';
import { resolveConfig } from '../src/config.js';
import { XRAY_NAMESPACE_URI } from '../src/index.js';

describe('xray-opcua: node ids', () => {
  const namespaces = ['http://opcfoundation.org/UA/', 'urn:vendor:server', XRAY_NAMESPACE_URI];

  it('resolves a namespace URI to the index this server gave it', () => {
    assert.equal(resolveExpandedNodeId(`nsu=${XRAY_NAMESPACE_URI};s=XrayScanner.Status`, namespaces).toString(), 'ns=2;s=XrayScanner.Status');
    assert.equal(
      resolveExpandedNodeId(`nsu=${XRAY_NAMESPACE_URI};s=XrayScanner.Status`, [...namespaces.slice(0, 1), XRAY_NAMESPACE_URI]).toString(),
      'ns=1;s=XrayScanner.Status',
    );
    assert.equal(resolveExpandedNodeId('i=2258', namespaces).toString(), 'ns=0;i=2258');
    assert.equal(resolveExpandedNodeId('nsu=urn:vendor:server;i=6001', namespaces).toString(), 'ns=1;i=6001');
  });

  it('names the missing namespace and what the server has instead', () => {
    assert.throws(
      () => resolveExpandedNodeId('nsu=urn:other;s=X', namespaces),
      (err: Error) =>
        err instanceof NodeIdError && err.message === `namespace 'urn:other' of node nsu=urn:other;s=X is not on the server (it has: ${namespaces.join(', ')})`,
    );
    assert.throws(() => resolveExpandedNodeId('not a node id', namespaces), NodeIdError);
  });

  it('lets a vendor config override single nodes and browse names, keeping the documented defaults for the rest', () => {
    const cfg = resolveConfig({
      endpointUrl: 'opc.tcp://scanner:4840',
      namespaceUri: 'urn:vendor:server',
      nodes: { lastScan: 'nsu=urn:vendor:server;i=6001' },
      fields: { scanId: 'InspectionId' },
    });
    assert.equal(cfg.nodes.lastScan, 'nsu=urn:vendor:server;i=6001');
    assert.equal(cfg.nodes.status, 'nsu=urn:vendor:server;s=XrayScanner.Status');
    assert.equal(cfg.fields.scanId, 'InspectionId');
    assert.equal(cfg.fields.imageSha256, 'ImageSha256');
    assert.equal(cfg.securityMode, 'None');
  });
});
