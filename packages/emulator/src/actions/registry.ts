import { VCLM_API } from "@vclm/core";
import type { Caller } from "../accounts.js";
import type { Answer } from "../wire/envelope.js";
import { assumeRole, getFederationToken } from "./sts.js";
import { describeImageAnimateJob, submitImageAnimateJob, type VclmContext } from "./vclm.js";
import { assumeRoleWithWebIdentity, type WebIdentityContext } from "./web-identity.js";

/** What every action is given besides its parameters and caller. */
export type ActionContext = VclmContext & WebIdentityContext;

/** An action the emulator answers: the service and version it belongs to, and how it runs. */
export interface Action {
  readonly service: string;
  readonly version: string;
  readonly run: (params: Record<string, unknown>, caller: Caller, context: ActionContext) => Answer | Promise<Answer>;
  /** Sent unsigned (Authorization: SKIP): what it carries is its proof. */
  readonly unsigned?: boolean;
  /** Its success changes the state (a job made, credentials issued): worth saving after it. */
  readonly changesState?: boolean;
}

const STS_VERSION = "2018-08-13";

/** Every action, by name. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  SubmitImageAnimateJob: { service: VCLM_API.service, version: VCLM_API.version, run: submitImageAnimateJob, changesState: true },
  DescribeImageAnimateJob: { service: VCLM_API.service, version: VCLM_API.version, run: describeImageAnimateJob },
  GetFederationToken: { service: "sts", version: STS_VERSION, run: getFederationToken, changesState: true },
  AssumeRole: { service: "sts", version: STS_VERSION, run: assumeRole, changesState: true },
  // The web identity token is the proof.
  AssumeRoleWithWebIdentity: { service: "sts", version: STS_VERSION, run: assumeRoleWithWebIdentity, unsigned: true, changesState: true },
};

/** The actions after whose success the state is worth saving. */
export const CHANGES_STATE: ReadonlySet<string> = new Set(
  Object.entries(ACTIONS)
    .filter(([, action]) => action.changesState)
    .map(([name]) => name),
);

/** The actions that issue temporary credentials: a client keeps those for hours, so they are saved before answering. */
export const ISSUES_CREDENTIALS: ReadonlySet<string> = new Set(["GetFederationToken", "AssumeRole", "AssumeRoleWithWebIdentity"]);
