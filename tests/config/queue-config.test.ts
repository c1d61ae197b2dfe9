import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const staging = { tier: "staging", target: "aws", aws: { region: "us-east-1" } };

describe("platform:queue.receiveWaitTimeSeconds", () => {
  it("defaults to 20 seconds of long polling", () => {
    const { queue } = parseStackConfig(source({ ...staging, queue: { enabled: true } }));
    assert.equal(queue.receiveWaitTimeSeconds, 20);
  });

  it("is read from the stack", () => {
    const { queue } = parseStackConfig(
      source({ ...staging, queue: { enabled: true, receiveWaitTimeSeconds: 5 } }),
    );
    assert.equal(queue.receiveWaitTimeSeconds, 5);
  });

  it("refuses more than SQS's 20 seconds", () => {
    assert.deepEqual(problems({ ...staging, queue: { receiveWaitTimeSeconds: 30 } }), [
      "platform:queue.receiveWaitTimeSeconds: 30 is too large; expected seconds from 0 to 20",
    ]);
  });
});
