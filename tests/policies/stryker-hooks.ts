import { stopSharedPack } from "./pack";

/** Loaded only by the mutation run: stops the pack process shared by the files after each run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedPack();
  },
};
