import { WhmcsSandboxError } from "./errors.js";

/**
 * WHMCS's own tables (names, MariaDB column types, nullability and defaults as in a WHMCS 8.x
 * schema, docs/whmcs.md#database-tables), the `zoho_mail` module table (#the-zoho_mail-module)
 * and the companion ownership
 * ledger. Engine-neutral: each store renders its own DDL from these definitions, so SQLite and
 * MariaDB cannot drift. Columns that are `NOT NULL` without a default in WHMCS stay that way;
 * writers supply them (see `completeRow`) or rely on non-strict `sql_mode`.
 *
 * Column spec, one per line: `name type [unsigned] [null] [auto] [default <value>]`, where type
 * is a MariaDB type: `tinyint(n)`, `int(n)`, `bigint(n)`, `varchar(n)`, `text`, `mediumtext`,
 * `blob`, `decimal(p,s)`, `date`, `datetime`, `timestamp` or `enum(a,b,…)`. In a default,
 * `\s` stands for a space.
 */
export type ColumnKind = "int" | "text" | "decimal" | "date" | "datetime" | "enum";

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The MariaDB column type as WHMCS declares it (`int(10)`, `varchar(255)`, `timestamp`, …). */
  readonly sqlType: string;
  readonly unsigned: boolean;
  /** Digits after the point, for `decimal`. */
  readonly scale: number;
  readonly precision: number;
  /** Longest value in characters, for `varchar`/`char`; undefined when unbounded. */
  readonly maxLength: number | undefined;
  /** Binary text (`blob`): compared byte by byte, never case-folded. */
  readonly binary: boolean;
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

const TYPE =
  /^(?:(tinyint|smallint|int|bigint)(?:\((\d+)\))?|(varchar|char)\((\d+)\)|(text|mediumtext|longtext|blob)|(date|datetime|timestamp)|decimal\((\d+),(\d+)\)|enum\(([^)]*)\))$/;
const LINE = /^(\w+)\s+(\S+)((?:\s+(?:unsigned|null|auto|default\s+\S+))*)$/;

function table(name: string, spec: string, extras: TableExtras = {}): TableDef {
  const columns: ColumnDef[] = [];
  for (const rawLine of spec.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    const m = LINE.exec(line);
    const t = m?.[2] === undefined ? null : TYPE.exec(m[2]);
    if (!m || m[1] === undefined || !t) throw new Error(`schema: bad column spec in ${name}: ${line}`);
    const kind: ColumnKind =
      t[1] !== undefined ? "int" : t[3] !== undefined || t[5] !== undefined ? "text" : t[6] !== undefined ? (t[6] === "date" ? "date" : "datetime") : t[7] !== undefined ? "decimal" : "enum";
    const sqlType = t[1] !== undefined ? `${t[1]}(${t[2] ?? (t[1] === "bigint" ? "20" : t[1] === "tinyint" ? "1" : "10")})` : (m[2] as string);
    const flags = m[3] ?? "";
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
      sqlType,
      unsigned: /\bunsigned\b/.test(flags),
      precision: t[7] === undefined ? 0 : Number(t[7]),
      scale: t[8] === undefined ? 0 : Number(t[8]),
      maxLength: t[4] === undefined ? undefined : Number(t[4]),
      binary: t[5] === "blob",
      values: t[9] === undefined ? [] : t[9].split(","),
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

const ZERO_TS = "default '0000-00-00\\s00:00:00'";
const timestamps = `created_at timestamp ${ZERO_TS}\nupdated_at timestamp ${ZERO_TS}`;
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
    `id int(10) unsigned auto
     setting varchar(64)
     value text
     ${timestamps}`,
    { unique: [["setting"]] },
  ),
  table(
    "tblcurrencies",
    `id int(10) auto
     code text
     prefix text
     suffix text
     format int(1)
     rate decimal(10,5) default 1.00000
     default int(1)`,
  ),
  table(
    "tblpaymentgateways",
    `id int(10) auto
     gateway text
     setting text
     value text
     order int(1)`,
    { indexes: [["gateway", "setting"]] },
  ),
  table(
    "tbladmins",
    `id int(10) auto
     uuid varchar(255) default ''
     roleid int(10)
     username text
     password varchar(255) default ''
     passwordhash varchar(255) default ''
     authmodule text
     authdata text
     firstname text
     lastname text
     email text
     signature text
     notes text
     template text
     language text
     disabled int(1)
     loginattempts int(1)
     supportdepts text
     ticketnotifications text
     homewidgets text
     password_reset_key varchar(255) default ''
     password_reset_data text
     password_reset_expiry timestamp ${ZERO_TS}
     hidden_widgets text
     widget_order text
     user_preferences text null
     ${timestamps}`,
    { indexes: [["username"]] },
  ),
  table(
    "tbldeviceauth",
    `id int(10) unsigned auto
     identifier varchar(255) default ''
     secret varchar(255) default ''
     compat_secret varchar(255) default ''
     user_id int(10) unsigned default 0
     is_admin tinyint(1) default 0
     role_ids text
     description varchar(255) default ''
     last_access timestamp ${ZERO_TS}
     ${timestamps}
     deleted_at timestamp null`,
    { unique: [["identifier"]] },
  ),
  table(
    "tblapi_roles",
    `id int(10) unsigned auto
     role varchar(255) default ''
     description varchar(255) default ''
     permissions text
     ${timestamps}`,
  ),
  table(
    "tblemailtemplates",
    `id int(10) auto
     type text
     name text
     subject text
     message text
     attachments text
     fromname text
     fromemail text
     disabled tinyint(1)
     custom tinyint(1)
     language text
     copyto text
     blind_copy_to text
     plaintext int(1)
     ${timestamps}`,
    { indexes: [["type"]] },
  ),
  table(
    "tblservers",
    `id int(10) auto
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
     maxaccounts int(10) default 0
     type text
     username text
     password text
     accesshash text
     secure text
     port int(8) null
     active int(1)
     disabled int(1)`,
  ),
  table(
    "tblproductgroups",
    `id int(10) auto
     name text
     slug varchar(128) default ''
     headline text null
     tagline text null
     orderfrmtpl text
     disabledgateways text
     hidden tinyint(1)
     order int(1) default 0
     ${timestamps}`,
    { indexes: [["order"]] },
  ),
  table(
    "tblproducts",
    `id int(10) auto
     type text
     gid int(10)
     name text
     slug varchar(128) default ''
     description text
     hidden tinyint(1)
     showdomainoptions tinyint(1)
     welcomeemail int(10) default 0
     stockcontrol tinyint(1)
     qty int(10) default 0
     proratabilling tinyint(1)
     proratadate int(2)
     proratachargenextmonth int(2)
     paytype text
     allowqty int(1)
     subdomain text
     autosetup text
     servertype text
     servergroup int(10)
     ${CONFIG_OPTION_COLUMNS}
     freedomain text
     freedomainpaymentterms text
     freedomaintlds text
     recurringcycles int(2)
     autoterminatedays int(4)
     autoterminateemail int(10) default 0
     configoptionsupgrade tinyint(1)
     billingcycleupgrade text
     upgradeemail int(10) default 0
     overagesenabled varchar(10)
     overagesdisklimit int(10)
     overagesbwlimit int(10)
     overagesdiskprice decimal(6,4)
     overagesbwprice decimal(6,4)
     tax tinyint(1)
     affiliateonetime tinyint(1)
     affiliatepaytype text
     affiliatepayamount decimal(16,2)
     order int(10) default 0
     retired tinyint(1)
     is_featured tinyint(1)
     color varchar(9)
     tagline varchar(255)
     short_description varchar(255)
     ${timestamps}`,
    { indexes: [["gid"]] },
  ),
  table(
    "tblproduct_recommendations",
    `id int(10) unsigned
     product_id int(10) unsigned
     sortorder int(10) default 0`,
    { primaryKey: ["id", "product_id"], indexes: [["product_id"]] },
  ),
  table(
    "tblpricing",
    `id int(10) auto
     type enum(product,addon,configoptions,domainregister,domaintransfer,domainrenew,domainaddons,usage)
     currency int(10)
     relid int(10)
     ${PRICE_COLUMNS}`,
    { indexes: [["relid"], ["currency"], ["type"]] },
  ),
  table(
    "tblproductconfiggroups",
    `id int(10) auto
     name text
     description text`,
  ),
  table(
    "tblproductconfiglinks",
    `id int(10) auto
     gid int(10)
     pid int(10)`,
  ),
  table(
    "tblproductconfigoptions",
    `id int(10) auto
     gid int(10) default 0
     optionname text
     optiontype text
     qtyminimum int(10)
     qtymaximum int(10)
     order int(1) default 0
     hidden int(1)`,
    { indexes: [["gid"]] },
  ),
  table(
    "tblproductconfigoptionssub",
    `id int(10) auto
     configid int(10)
     optionname text
     sortorder int(10) default 0
     hidden int(1)`,
    { indexes: [["configid"]] },
  ),
  table(
    "tblcustomfields",
    `id int(10) auto
     type text
     relid int(10) default 0
     fieldname text
     fieldtype text
     description text
     fieldoptions text
     regexpr text
     adminonly text
     required text
     showorder text
     showinvoice text
     sortorder int(10) default 0
     ${timestamps}`,
    { indexes: [["relid"]] },
  ),
  table(
    "tblcustomfieldsvalues",
    `id int(10) unsigned auto
     fieldid int(10)
     relid int(10)
     value text
     ${timestamps}`,
    { indexes: [["fieldid", "relid"], ["relid"]] },
  ),
  table(
    "tblclients",
    `id int(10) auto
     uuid varchar(255) default ''
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
     tax_id varchar(128) default ''
     password text
     authmodule text
     authdata text
     currency int(10)
     defaultgateway text
     credit decimal(16,2)
     taxexempt tinyint(1)
     latefeeoveride tinyint(1)
     overideduenotices tinyint(1)
     separateinvoices tinyint(1)
     disableautocc tinyint(1)
     datecreated date
     notes text
     billingcid int(10)
     securityqid int(10)
     securityqans text
     groupid int(10)
     cardtype varchar(255) default ''
     cardlastfour text
     cardnum blob
     startdate blob
     expdate blob
     issuenumber blob
     bankname text
     banktype text
     bankcode blob
     bankacct blob
     gatewayid text
     lastlogin datetime null
     ip text
     host text
     status enum(Active,Inactive,Closed) default 'Active'
     language text
     pwresetkey text
     emailoptout int(1)
     marketing_emails_opt_in tinyint(1) unsigned default 0
     overrideautoclose int(1)
     allow_sso tinyint(1) default 1
     email_verified tinyint(1) default 0
     email_preferences text null
     ${timestamps}
     pwresetexpiry timestamp ${ZERO_TS}`,
    { indexes: [["email"], ["status", "id"]] },
  ),
  // WHMCS 8 splits logins (users) from billing accounts (clients); a user owns or may manage clients.
  table(
    "tblusers",
    `id int(10) unsigned auto
     first_name varchar(255) default ''
     last_name varchar(255) default ''
     email varchar(255) default ''
     password varchar(255) default ''
     language varchar(32) default ''
     security_question_id int(10) unsigned default 0
     security_question_answer varchar(255) default ''
     last_ip varchar(64) default ''
     ${timestamps}`,
    { indexes: [["email"]] },
  ),
  table(
    "tblusers_clients",
    `id int(10) unsigned auto
     auth_user_id int(10) unsigned default 0
     client_id int(10) unsigned default 0
     invite_id int(10) unsigned default 0
     owner tinyint(1) default 0
     permissions text null
     ${timestamps}`,
    { indexes: [["auth_user_id"], ["client_id"]] },
  ),
  table(
    "tblorders",
    `id int(10) auto
     ordernum bigint(10)
     userid int(10)
     contactid int(10)
     requestor_id int(10) unsigned default 0
     admin_requestor_id int(10) unsigned default 0
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
     invoiceid int(10) default 0
     status text
     ipaddress text
     fraudmodule text
     fraudoutput text
     notes text
     purchase_source int(10) unsigned default 4
     has_referral_products tinyint(1) default 0`,
    { indexes: [["ordernum"], ["userid"]] },
  ),
  table(
    "tblhosting",
    `id int(10) auto
     userid int(10)
     orderid int(10)
     packageid int(10)
     server int(10)
     regdate date
     domain text
     paymentmethod text
     qty int(10) unsigned default 1
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
     recommendation_source_product_id int(10) unsigned null
     promoid int(10)
     promocount int(10) null default 0
     suspendreason text
     overideautosuspend text
     overidesuspenduntil date
     dedicatedip text
     assignedips text
     ns1 text
     ns2 text
     diskusage int(10) default 0
     disklimit int(10) default 0
     bwusage int(10) default 0
     bwlimit int(10) default 0
     upsell_from_products text null
     lastupdate timestamp ${ZERO_TS}
     ${timestamps}`,
    { indexes: [["userid"], ["orderid"], ["packageid"], ["domainstatus"]] },
  ),
  table(
    "tblhostingconfigoptions",
    `id int(10) auto
     relid int(10)
     configid int(10)
     optionid int(10)
     qty int(10)`,
    { indexes: [["relid", "configid"]] },
  ),
  table(
    "tblupgrades",
    `id int(10) auto
     userid int(10)
     orderid int(10)
     type enum(service,addon,package,configoptions)
     date date
     relid int(10)
     originalvalue text
     newvalue text
     new_cycle varchar(30)
     amount decimal(16,2)
     credit_amount decimal(16,2) default 0.00
     days_remaining int(10) default 0
     total_days_in_cycle int(10) default 0
     new_recurring_amount decimal(16,2) default 0.00
     recurringchange decimal(16,2)
     status enum(Pending,Completed) default 'Pending'
     paid enum(Y,N) default 'N'
     ${timestamps}`,
    { indexes: [["orderid"], ["relid"]] },
  ),
  table(
    "tblinvoices",
    `id int(10) auto
     userid int(10)
     invoicenum text
     date date
     duedate date
     datepaid datetime
     last_capture_attempt datetime default '0000-00-00\\s00:00:00'
     date_refunded datetime default '0000-00-00\\s00:00:00'
     date_cancelled datetime default '0000-00-00\\s00:00:00'
     subtotal decimal(16,2)
     credit decimal(16,2)
     tax decimal(16,2)
     tax2 decimal(16,2)
     total decimal(16,2) default 0.00
     taxrate decimal(10,3)
     taxrate2 decimal(10,3)
     status text
     paymentmethod text
     paymethodid int(10) unsigned null
     notes text
     ${timestamps}`,
    { indexes: [["userid"], ["status"]] },
  ),
  table(
    "tblinvoiceitems",
    `id int(10) auto
     invoiceid int(10) default 0
     userid int(10)
     type varchar(30)
     relid int(10)
     description text
     amount decimal(16,2) default 0.00
     taxed int(1)
     duedate date null
     paymentmethod text
     notes text`,
    { indexes: [["invoiceid"], ["userid"]] },
  ),
  table(
    "tblmodulelog",
    `id int(10) auto
     date datetime
     module text
     action text
     request text
     response text
     arrdata text`,
  ),
  table(
    "zoho_mail",
    `domain varchar(255)
     zoid varchar(255)
     superAdmin varchar(255)
     isverified varchar(255)
     url varchar(255)`,
    { unique: [["zoid"]] },
  ),
  table(
    "mod_zoho_reconcile_resources",
    `id int(10) unsigned auto
     kind varchar(64)
     name varchar(255)
     relid int(10) unsigned
     created_at timestamp null
     updated_at timestamp null`,
    { unique: [["kind", "name"], ["kind", "relid"]] },
  ),
  // The companion's apply lock (docs/companion-api.md): one row per lock name, times in Unix seconds.
  table(
    "mod_zoho_reconcile_lock",
    `name varchar(64)
     runid varchar(64) default ''
     holder varchar(255) default ''
     host varchar(255) default ''
     acquired int(10) unsigned default 0
     renewed int(10) unsigned default 0
     expires int(10) unsigned default 0
     version int(10) unsigned default 0`,
    { primaryKey: ["name"] },
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
 * Row order when a select names none: the AUTO_INCREMENT id, else the primary key, else the
 * first unique key (tables such as `zoho_mail` have no id).
 */
export function defaultOrder(t: TableDef): readonly string[] {
  if (t.autoColumn !== undefined) return [t.autoColumn];
  if (t.primaryKey.length > 0) return t.primaryKey;
  return t.unique[0] ?? [];
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
