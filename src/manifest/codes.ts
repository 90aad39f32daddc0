/**
 * Stable issue codes. Tests, docs and users' scripts match on these strings: never rename one,
 * add a new code instead.
 */
export const IssueCode = {
  fileNotFound: "file.not-found",
  fileUnreadable: "file.unreadable",
  fileTooLarge: "file.too-large",
  fileBinary: "file.binary",
  fileEncoding: "file.encoding",
  globEmpty: "file.glob-empty",
  globInvalid: "file.glob-invalid",
  globOutside: "file.glob-outside",

  yamlSyntax: "yaml.syntax",
  yamlTab: "yaml.tab",
  yamlDuplicateKey: "yaml.duplicate-key",
  yamlAliasLimit: "yaml.alias-limit",
  yamlUnknownAlias: "yaml.unknown-alias",
  yamlTooDeep: "yaml.too-deep",
  yamlForbiddenKey: "yaml.forbidden-key",
  yamlKeyNotString: "yaml.key-not-string",
  yamlUnknownTag: "yaml.unknown-tag",

  notAMapping: "manifest.not-a-mapping",
  apiVersion: "manifest.api-version",
  unknownKind: "manifest.unknown-kind",
  configDocument: "manifest.config-document",
  tooManyIssues: "manifest.too-many-issues",

  configEmpty: "config.empty",
  configMultipleDocuments: "config.multiple-documents",
  configKind: "config.kind",
  secretLiteral: "config.secret-literal",
  secretRef: "config.secret-ref",
  configUrl: "config.url",
  databaseUrl: "config.database-url",

  schemaRequired: "schema.required",
  schemaUnknownField: "schema.unknown-field",
  schemaType: "schema.type",
  schemaEnum: "schema.enum",
  schemaConst: "schema.const",
  schemaPattern: "schema.pattern",
  schemaRange: "schema.range",
  schemaLength: "schema.length",
  schemaItems: "schema.items",
  schemaUnique: "schema.unique",
  schemaNotAllowed: "schema.not-allowed",
  schemaInvalid: "schema.invalid",

  moneyInvalid: "money.invalid",
  optionMinMax: "option.min-max",
  optionDuplicateKey: "option.duplicate-key",
  choiceDuplicateKey: "choice.duplicate-key",

  duplicateName: "ref.duplicate-name",
  unknownGroup: "ref.unknown-group",
  unknownConfigOptionGroup: "ref.unknown-config-option-group",
  unknownProduct: "ref.unknown-product",
  unknownZohoPlan: "ref.unknown-zoho-plan",

  customerDuplicateDomain: "customer.duplicate-domain",
  customerClientMismatch: "customer.client-mismatch",
  customerBillingCycle: "customer.billing-cycle",
  customerPayPeriod: "customer.pay-period",
  customerNoZohoPlan: "customer.no-zoho-plan",
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];
