/**
 * The unbuffered channel a user would write for async/await: send() resolves once a receiver has the value,
 * receive() once a sender gave one; both sides queue in arrival order. The async/await twins of the peers and
 * programs families use it.
 *
 * Invariant: at most one of `senders` and `receivers` is non-empty.
 */
export class Rendezvous<T> {
  private readonly senders: { value: T; resolve: () => void }[] = [];
  private readonly receivers: ((value: T) => void)[] = [];

  send(value: T): Promise<void> {
    const receiver = this.receivers.shift();
    if (receiver !== undefined) {
      receiver(value);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.senders.push({ value, resolve });
    });
  }

  receive(): Promise<T> {
    const sender = this.senders.shift();
    if (sender !== undefined) {
      sender.resolve();
      return Promise.resolve(sender.value);
    }
    return new Promise<T>((resolve) => {
      this.receivers.push(resolve);
    });
  }
}
