/** SIGINT and SIGTERM stop a program's parts in order, then exit; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    process.stdout.write(`${signal}: stopping…\n`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
