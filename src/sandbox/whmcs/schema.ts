import { WhmcsSandboxError } from "./errors.js";

/**
 * WHMCS's own tables (names, columns, nullability and defaults as in a WHMCS 8.x MariaDB
 * schema, whmcs-api.md §4), plus the companion ownership ledger. Engine-neutral: each store
 * renders its own DDL from these definitions. Columns that are `NOT NULL` without a default in
 * WHMCS stay that way; writers supply them (see `completeRow`).
 *
 * Column spec, one per line: `name type [null] [auto] [default <value>]`, where type is
 * `int`, `text`, `decimal(p,s)`, `date`, `datetime` or `enum(a,b,…)`.
 */
export type ColumnKind = "int" | "text" | "decimal" | "date" | "datetime" | "enum";

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Digits after the point, for `decimal`. */
  readonly scale: number;
  readonly precision: number;
  readonly values: readonly string[];
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** DB default; undefined means none (NOT NULL without default, or NULL for nullable columns). */
  readonly defaultValue: string | number | null | undefined;
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly byName: ReadonlyMap<string, ColumnDef>;
  /** The AUTO_INCREMENT column, if any. */
  readonly autoColumn: string | undefined;
  /** Composite primary key for tables without an AUTO_INCREMENT id. */
  readonly primaryKey: readonly string[];
  readonly unique: readonly (readonly string[])[];
  readonly indexes: readonly (readonly string[])[];
}

interface TableExtras {
  readonly primaryKey?: readonly string[];
  readonly unique?: readonly (readonly string[])[];
  readonly indexes?: readonly (readonly string[])[];
}

const LINE = /^(\w+)\s+(int|text|date|datetime|decimal\((\d+),(\d+)\)|enum\(([^)]*)\))((?:\s+(?:null|auto|default\s+\S+))*)$/;

function table(name: string, spec: string, extras: TableExtras = {}): TableDef {
  const columns: ColumnDef[] = [];
  for (const rawLine of spec.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    const m = LINE.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`schema: bad column spec in ${name}: ${line}`);
    const type = m[2];
    const kind: ColumnKind = type.startsWith("decimal") ? "decimal" : type.startsWith("enum") ? "enum" : (type as ColumnKind);
    const flags = m[6] ?? "";
    const def = /default\s+(\S+)/.exec(flags)?.[1];
    let defaultValue: string | number | null | undefined;
    if (def !== undefined) {
      if (def === "NULL") defaultValue = null;
      else if (def.startsWith("'")) defaultValue = def.slice(1, -1).replace(/\\s/g, " ");
      else defaultValue = kind === "int" ? Number(def) : def;
    }
    columns.push({
      name: m[1],
      kind,
      precision: m[3] === undefined ? 0 : Number(m[3]),
      scale: m[4] === undefined ? 0 : Number(m[4]),
      values: m[5] === undefined ? [] : m[5].split(","),
      nullable: /\bnull\b/.test(flags),
      autoIncrement: /\bauto\b/.test(flags),
      defaultValue,
    });
  }
  return {
    name,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    autoColumn: columns.find((c) => c.autoIncrement)?.name,
    primaryKey: extras.primaryKey ?? [],
    unique: extras.unique ?? [],
    indexes: extras.indexes ?? [],
  };
}

const TS = "default '0000-00-00\\s00:00:00'";
const timestamps = `created_at datetime ${TS}\nupdated_at datetime ${TS}`;
const PRICE_COLUMNS = [
  "msetupfee",
  "qsetupfee",
  "ssetupfee",
  "asetupfee",
  "bsetupfee",
  "tsetupfee",
  "monthly",
  "quarterly",
  "semiannually",
  "annually",
  "biennially",
  "triennially",
]
  .map((c) => `${c} decimal(16,2)`)
  .join("\n");
const CONFIG_OPTION_COLUMNS = Array.from({ length: 24 }, (_, i) => `configoption${i + 1} text`).join("\n");

export const TABLES: readonly TableDef[] = [
  table(
    "tblconfiguration",
    `id int auto
     setting text
     value text
     ${timestamps}`,
    { unique: [["setting"]] },
  ),
  table(
    "tblcurrencies",
    `id int auto
     code text
     prefix text
     suffix text
     format int
     rate decimal(10,5) default 1.00000
     default int`,
  ),
  table(
    "tblpaymentgateways",
    `id int auto
     gateway text
     setting text
     value text
     order int`,
    { indexes: [["gateway", "setting"]] },
  ),
  table(
    "tbladmins",
    `id int auto
     uuid text default ''
     roleid int
     username text
     password text default ''
     passwordhash text default ''
     authmodule text
     authdata text
     firstname text
     lastname text
     email text
     signature text
     notes text
     template text
     language text
     disabled int
     loginattempts int
     supportdepts text
     ticketnotifications text
     homewidgets text
     password_reset_key text default ''
     password_reset_data text
     password_reset_expiry datetime ${TS}
     hidden_widgets text
     widget_order text
     user_preferences text null
     ${timestamps}`,
    { indexes: [["username"]] },
  ),
  table(
    "tbldeviceauth",
    `id int auto
     identifier text default ''
     secret text default ''
     compat_secret text default ''
     user_id int default 0
     is_admin int default 0
     role_ids text
     description text default ''
     last_access datetime ${TS}
     ${timestamps}
     deleted_at datetime null`,
    { unique: [["identifier"]] },
  ),
  table(
    "tblapi_roles",
    `id int auto
     role text default ''
     description text default ''
     permissions text
     ${timestamps}`,
  ),
  table(
    "tblemailtemplates",
    `id int auto
     type text
     name text
     subject text
     message text
     attachments text
     fromname text
     fromemail text
     disabled int
     custom int
     language text
     copyto text
     blind_copy_to text
     plaintext int
     ${timestamps}`,
    { indexes: [["type"]] },
  ),
  table(
    "tblservers",
    `id int auto
     name text
     ipaddress text
     assignedips text
     hostname text
     monthlycost decimal(16,2) default 0.00
     noc text
     statusaddress text
     nameserver1 text
     nameserver1ip text
     nameserver2 text
     nameserver2ip text
     nameserver3 text
     nameserver3ip text
     nameserver4 text
     nameserver4ip text
     nameserver5 text
     nameserver5ip text
     maxaccounts int default 0
     type text
     username text
     password text
     accesshash text
     secure text
     port int null
     active int
     disabled int`,
  ),
  table(
    "tblproductgroups",
    `id int auto
     name text
     slug text default ''
     headline text null
     tagline text null
     orderfrmtpl text
     disabledgateways text
     hidden int
     order int default 0
     ${timestamps}`,
    { indexes: [["order"]] },
  ),
  table(
    "tblproducts",
    `id int auto
     type text
     gid int
     name text
     slug text default ''
     description text
     hidden int
     showdomainoptions int
     welcomeemail int default 0
     stockcontrol int
     qty int default 0
     proratabilling int
     proratadate int
     proratachargenextmonth int
     paytype text
     allowqty int
     subdomain text
     autosetup text
     servertype text
     servergroup int
     ${CONFIG_OPTION_COLUMNS}
     freedomain text
     freedomainpaymentterms text
     freedomaintlds text
     recurringcycles int
     autoterminatedays int
     autoterminateemail int default 0
     configoptionsupgrade int
     billingcycleupgrade text
     upgradeemail int default 0
     overagesenabled text
     overagesdisklimit int
     overagesbwlimit int
     overagesdiskprice decimal(6,4)
     overagesbwprice decimal(6,4)
     tax int
     affiliateonetime int
     affiliatepaytype text
     affiliatepayamount decimal(16,2)
     order int default 0
     retired int
     is_featured int
     color text
     tagline text
     short_description text
     ${timestamps}`,
    { indexes: [["gid"]] },
  ),
  table(
    "tblproduct_recommendations",
    `id int
     product_id int
     sortorder int default 0`,
    { primaryKey: ["id", "product_id"], indexes: [["product_id"]] },
  ),
  table(
    "tblpricing",
    `id int auto
     type enum(product,addon,configoptions,domainregister,domaintransfer,domainrenew,domainaddons,usage)
     currency int
     relid int
     ${PRICE_COLUMNS}`,
    { indexes: [["relid"], ["currency"], ["type"]] },
  ),
  table(
    "tblproductconfiggroups",
    `id int auto
     name text
     description text`,
  ),
  table(
    "tblproductconfiglinks",
    `id int auto
     gid int
     pid int`,
  ),
  table(
    "tblproductconfigoptions",
    `id int auto
     gid int default 0
     optionname text
     optiontype text
     qtyminimum int
     qtymaximum int
     order int default 0
     hidden int`,
    { indexes: [["gid"]] },
  ),
  table(
    "tblproductconfigoptionssub",
    `id int auto
     configid int
     optionname text
     sortorder int default 0
     hidden int`,
    { indexes: [["configid"]] },
  ),
  table(
    "tblcustomfields",
    `id int auto
     type text
     relid int default 0
     fieldname text
     fieldtype text
     description text
     fieldoptions text
     regexpr text
     adminonly text
     required text
     showorder text
     showinvoice text
     sortorder int default 0
     ${timestamps}`,
    { indexes: [["relid"]] },
  ),
  table(
    "tblcustomfieldsvalues",
    `id int auto
     fieldid int
     relid int
     value text
     ${timestamps}`,
    { indexes: [["fieldid", "relid"], ["relid"]] },
  ),
  table(
    "tblclients",
    `id int auto
     uuid text default ''
     firstname text
     lastname text
     companyname text
     email text
     address1 text
     address2 text
     city text
     state text
     postcode text
     country text
     phonenumber text
     tax_id text default ''
     password text
     authmodule text
     authdata text
     currency int
     defaultgateway text
     credit decimal(16,2)
     taxexempt int
     latefeeoveride int
     overideduenotices int
     separateinvoices int
     disableautocc int
     datecreated date
     notes text
     billingcid int
     securityqid int
     securityqans text
     groupid int
     cardtype text default ''
     cardlastfour text
     cardnum text
     startdate text
     expdate text
     issuenumber text
     bankname text
     banktype text
     bankcode text
     bankacct text
     gatewayid text
     lastlogin datetime null
     ip text
     host text
     status enum(Active,Inactive,Closed) default 'Active'
     language text
     pwresetkey text
     emailoptout int
     marketing_emails_opt_in int default 0
     overrideautoclose int
     allow_sso int default 1
     email_verified int default 0
     email_preferences text null
     ${timestamps}
     pwresetexpiry datetime ${TS}`,
    { indexes: [["email"], ["status", "id"]] },
  ),
  table(
    "tblorders",
    `id int auto
     ordernum int
     userid int
     contactid int
     requestor_id int default 0
     admin_requestor_id int default 0
     date datetime
     nameservers text
     transfersecret text
     renewals text
     promocode text
     promotype text
     promovalue text
     orderdata text
     amount decimal(16,2)
     paymentmethod text
     invoiceid int default 0
     status text
     ipaddress text
     fraudmodule text
     fraudoutput text
     notes text
     purchase_source int default 4
     has_referral_products int default 0`,
    { indexes: [["ordernum"], ["userid"]] },
  ),
  table(
    "tblhosting",
    `id int auto
     userid int
     orderid int
     packageid int
     server int
     regdate date
     domain text
     paymentmethod text
     qty int default 1
     firstpaymentamount decimal(16,2) default 0.00
     amount decimal(16,2) default 0.00
     billingcycle text
     nextduedate date null
     nextinvoicedate date
     termination_date date default '0000-00-00'
     completed_date date default '0000-00-00'
     domainstatus enum(Pending,Active,Suspended,Terminated,Cancelled,Fraud,Completed) default 'Pending'
     username text
     password text
     notes text
     subscriptionid text
     recommendation_source_product_id int null
     promoid int
     promocount int null default 0
     suspendreason text
     overideautosuspend int
     overidesuspenduntil date
     dedicatedip text
     assignedips text
     ns1 text
     ns2 text
     diskusage int default 0
     disklimit int default 0
     bwusage int default 0
     bwlimit int default 0
     upsell_from_products text null
     lastupdate datetime ${TS}
     ${timestamps}`,
    { indexes: [["userid"], ["orderid"], ["packageid"], ["domainstatus"]] },
  ),
  table(
    "tblhostingconfigoptions",
    `id int auto
     relid int
     configid int
     optionid int
     qty int`,
    { indexes: [["relid", "configid"]] },
  ),
  table(
    "tblmodulelog",
    `id int auto
     date datetime
     module text
     action text
     request text
     response text
     arrdata text`,
  ),
  table(
    "mod_zoho_reconcile_resources",
    `id int auto
     kind text
     name text
     relid int
     created_at datetime null
     updated_at datetime null`,
    { unique: [["kind", "name"], ["kind", "relid"]] },
  ),
];

const BY_NAME: ReadonlyMap<string, TableDef> = new Map(TABLES.map((t) => [t.name, t]));

export function tableDef(name: string): TableDef {
  const def = BY_NAME.get(name);
  if (def === undefined) throw new WhmcsSandboxError("store.unknown_table", `unknown table "${name}"`);
  return def;
}

export function columnDef(table: TableDef, column: string): ColumnDef {
  const def = table.byName.get(column);
  if (def === undefined) {
    throw new WhmcsSandboxError("store.unknown_column", `unknown column "${column}" in table "${table.name}"`);
  }
  return def;
}

/**
 * The value MySQL gives a NOT NULL column without a default when an insert omits it in
 * non-strict `sql_mode`: 0, '', 0.00…, the zero date, or the first enum member.
 */
export function implicitDefault(col: ColumnDef): string | number | null {
  if (col.defaultValue !== undefined) return col.defaultValue;
  if (col.nullable) return null;
  switch (col.kind) {
    case "int":
      return 0;
    case "decimal":
      return col.scale === 0 ? "0" : `0.${"0".repeat(col.scale)}`;
    case "date":
      return "0000-00-00";
    case "datetime":
      return "0000-00-00 00:00:00";
    case "enum":
      return col.values[0] ?? "";
    case "text":
      return "";
  }
}
