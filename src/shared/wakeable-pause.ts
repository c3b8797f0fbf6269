// The pause of a polling loop that something can cut short: new work was
// queued in this process, or the loop is stopping. A wake that comes while
// the loop is busy is kept, so the next pause ends at once.
export class WakeablePause {
  #woken = false;
  #wakeSleeper: (() => void) | undefined;

  wake(): void {
    this.#woken = true;
    this.#wakeSleeper?.();
  }

  async sleep(ms: number): Promise<void> {
    if (!this.#woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.#wakeSleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeSleeper = undefined;
    }
    this.#woken = false;
  }
}
