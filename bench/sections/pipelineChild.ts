/**
 * The pipeline section alone in a process of its own: `node -r @swc-node/register
 * bench/sections/pipelineChild.ts <calls> <samples>` prints the section's result as one JSON line
 * (see pipelineForks.ts for why it runs apart).
 */
import "reflect-metadata";
import { measurePipeline } from "./pipelineCost";

const [calls, samples] = process.argv.slice(2).map(Number);
if (!Number.isInteger(calls) || !Number.isInteger(samples) || calls! < 1 || samples! < 1) {
  console.error("usage: pipelineChild.ts <calls per sample> <samples>");
  process.exit(1);
}
measurePipeline(calls!, samples!).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
