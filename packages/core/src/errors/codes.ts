/**
 * Every error code the VCLM image-animation API documents: its own (from the product page), the
 * codes common to every Tencent Cloud API, the "retry later" ones, and the photo codes the
 * pre-flight check raises. A {@link VclmServiceError}'s `code` may still be one not listed here.
 */
export const SERVICE_ERROR_CODES = [
  "ActionOffline",
  "AuthFailure",
  "AuthFailure.InvalidAuthorization",
  "AuthFailure.InvalidSecretId",
  "AuthFailure.MFAFailure",
  "AuthFailure.SecretIdNotFound",
  "AuthFailure.SignatureExpire",
  "AuthFailure.SignatureFailure",
  "AuthFailure.TokenFailure",
  "AuthFailure.UnauthorizedOperation",
  "DryRunOperation",
  "FailedOperation",
  "FailedOperation.BodyJointsFail",
  "FailedOperation.DriverFailed",
  "FailedOperation.FaceSizeTooSmall",
  "FailedOperation.ImageBodySmall",
  "FailedOperation.ImageCheckNoBody",
  "FailedOperation.ImageDecodeFailed",
  "FailedOperation.ImageDetectFaceFailed",
  "FailedOperation.ImageManyPeople",
  "FailedOperation.ImageRadioExcceed",
  "FailedOperation.ImageResolutionExceed",
  "FailedOperation.ImageSizeExceed",
  "FailedOperation.InnerError",
  "FailedOperation.JobNotFound",
  "FailedOperation.JobQueueFull",
  "FailedOperation.KeyPointUndetected",
  "FailedOperation.TemplateFirstFrameNotDetectFace",
  "FailedOperation.TemplateNotDetectBody",
  "InternalError",
  "InvalidAction",
  "InvalidParameter",
  "InvalidParameterValue",
  "InvalidRequest",
  "IpInBlacklist",
  "IpNotInWhitelist",
  "LimitExceeded",
  "MissingParameter",
  "NoSuchProduct",
  "NoSuchVersion",
  "RequestLimitExceeded",
  "RequestLimitExceeded.IPLimitExceeded",
  "RequestLimitExceeded.JobNumExceed",
  "RequestLimitExceeded.UinLimitExceeded",
  "RequestSizeLimitExceeded",
  "ResourceInUse",
  "ResourceInsufficient",
  "ResourceNotFound",
  "ResourceUnavailable",
  "ResourceUnavailable.IsOpening",
  "ResponseSizeLimitExceeded",
  "ServiceUnavailable",
  "UnauthorizedOperation",
  "UnknownParameter",
  "UnsupportedOperation",
  "UnsupportedProtocol",
  "UnsupportedRegion",
] as const;

/**
 * A documented VCLM error code.
 *
 * @example
 * ```ts
 * const code: ServiceErrorCode = "FailedOperation.JobNotFound";
 * ```
 */
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];
