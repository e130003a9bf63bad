// The registry of hubs (registry.ts, I1): the socket and HTTP modules reach a hub's state only for hubs that this
// package made, and find the default hub without importing hub.ts.
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { createStackless } from 'greenstackless';
import { Conn, createHub, getHub, hub } from '../src/index.js';
import type { Hub } from '../src/index.js';

describe('registry of hubs', () => {
  test('I1: new Conn(socket) without a hub takes the default hub', () => {
    const socket = new net.Socket();
    try {
      const conn = new Conn(socket);
      expect(conn.hub).toBe(hub);
      expect(getHub()).toBe(hub);
    } finally {
      socket.destroy();
    }
  });

  test('I1: a Conn on a made hub belongs to that hub, and getHub of its instance gives the same hub', () => {
    const stackless = createStackless();
    const mine = createHub(stackless);
    const socket = new net.Socket();
    try {
      expect(new Conn(socket, mine).hub).toBe(mine);
      expect(getHub(stackless)).toBe(mine);
    } finally {
      socket.destroy();
    }
  });

  test('I1: a hub this package did not make is refused with TypeError before the socket gets a Conn', () => {
    const socket = new net.Socket();
    try {
      // Even an object naming the default instance is not its hub.
      const impostor = { stackless: hub.stackless } as unknown as Hub;
      expect(() => new Conn(socket, impostor)).toThrow(TypeError);
      expect(() => new Conn(socket, impostor)).toThrow(/expected a hub of @greenstackless\/io/);
      expect(() => new Conn(socket, 'hub' as unknown as Hub)).toThrow(/expected a hub of @greenstackless\/io/);
      expect(socket.listenerCount('data')).toBe(0);
      // The socket is untouched: a Conn on the right hub still takes it.
      expect(new Conn(socket, hub).socket).toBe(socket);
    } finally {
      socket.destroy();
    }
  });
});
