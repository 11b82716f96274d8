// Holds one side of a race where the test wants it: the first call of `hook` for the chosen
// operation waits until `release()`, and `reached` settles when it is waiting. Later calls pass.
export function holdFirst<Operation extends string>(operation: Operation) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  let held = false;
  return {
    reached,
    release,
    async hook(which: Operation): Promise<void> {
      if (which !== operation || held) return;
      held = true;
      arrived();
      await released;
    },
  };
}
