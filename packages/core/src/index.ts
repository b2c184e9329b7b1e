/**
 * The typed client for Tencent Cloud VCLM image animation (a photo and a dance template in, a
 * video out), in Workers, Deno, browsers and Node. Every call flows through a middleware pipeline
 * that plugins extend.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient, photoToBase64 } from "@vclm/core";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photo = await readFile("dancer.jpg");
 * const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: await photoToBase64(photo) });
 * const { Status, ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId });
 * ```
 *
 * @packageDocumentation
 */

export type { Credentials, CredentialsProvider } from "@vclm/signer";
export { SignerError } from "@vclm/signer";
export { type CallOptions, type Plugin, VclmClient, type VclmClientOptions } from "./client.js";
export {
  type CacheCredentialsOptions,
  type CredentialsWait,
  cacheCredentials,
  type ExpiringCredentials,
  type WaitingCredentialsProvider,
} from "./credentials/cache.js";
export { type DefaultCredentialsOptions, defaultCredentials } from "./credentials/default-credentials.js";
export { type FromAssumeRoleOptions, fromAssumeRole } from "./credentials/from-assume-role.js";
export { CVM_METADATA_ENDPOINT, type FromCvmRoleOptions, fromCvmRole } from "./credentials/from-cvm-role.js";
export { type FromEndpointOptions, fromEndpoint } from "./credentials/from-endpoint.js";
export { type EnvSource, fromEnv } from "./credentials/from-env.js";
export { type FromProfileOptions, fromProfile, PROFILE_FILES } from "./credentials/from-profile.js";
export { type FromWebIdentityOptions, fromWebIdentity, TKE_VARIABLES } from "./credentials/from-web-identity.js";
export { SERVICE_ERROR_CODES, type ServiceErrorCode } from "./errors/codes.js";
export { type CredentialsSourceTried, VclmCredentialsError } from "./errors/credentials-error.js";
export { mayHaveArrived } from "./errors/may-have-arrived.js";
export { VclmNetworkError } from "./errors/network-error.js";
export type { NetworkProblem } from "./errors/network-problem.js";
export { type PhotoErrorCode, VclmPhotoError } from "./errors/photo-error.js";
export { VclmResponseError } from "./errors/response-error.js";
export { isServiceError, VclmServiceError } from "./errors/service-error.js";
export { VclmTimeoutError } from "./errors/timeout-error.js";
export { type ValidationIssue, VclmValidationError } from "./errors/validation-error.js";
export { isVclmError, VclmError } from "./errors/vclm-error.js";
export { observe } from "./observe/observe.js";
export { type LogLevel, makeObserver, type ObservedJob, type ObserveOptions, type Observer } from "./observe/observer.js";
export type { VclmAttributes, VclmLogEvent, VclmLogger, VclmMeter, VclmSpan, VclmSpanOptions, VclmTracer } from "./observe/types.js";
export { defineOperation, type InputOf, type Operation, type OperationMiddleware, type OutputOf } from "./operation.js";
// Every operation, and the list of them: a new action is its file and its lines in operations.ts.
export * from "./operations/operations.js";
export { PHOTO_LIMITS } from "./photo/limits.js";
export { checkPhoto, type PhotoSource, photoToBase64 } from "./photo/photo.js";
export type { PhotoHeader } from "./photo/read-header.js";
export type { ClientState, Context, HttpRequest, HttpResponse } from "./pipeline/context.js";
export { type Middleware, MiddlewareStack, PHASES, type Phase, type Placement } from "./pipeline/stack.js";
export type { AccountLimits } from "./policy/account-limits.js";
export { type Clock, systemClock } from "./policy/clock.js";
export { classifyFailure, type Failure, failureOfCode, mayRetry } from "./policy/failure.js";
export type { EnvRecord } from "./runtime/env.js";
export type { StsOptions } from "./sts/sts-client.js";
export { TEMPLATE_IDS, TEMPLATES, type TemplateId } from "./templates.js";
export { VCLM_API } from "./vclm-api.js";
export { type OpenedVideo, openVideo, type VideoAnswer, VideoDownloadError } from "./video/open-video.js";
