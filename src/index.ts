import { run } from './action.js';

// When run() is done, so is the step: exit then, without waiting for whatever a dependency may have
// left behind (an idle keep-alive socket, a timer) and without Node tearing its heap down piece by
// piece. Standard output and error are flushed first (pipes are asynchronous on macOS and Windows).
void run().then(() => process.stdout.write('', () => process.stderr.write('', () => process.exit())));
