<?php
/** ReconcileGetCatalog: the whole product catalog as raw rows, in one call. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

$apiresults = zwr_run(function (array $vars) {
    // Numbers as JSON numbers, money and rates as stored (strings), text as stored; NULL text reads "",
    // except the nullable group headline and tagline.
    $pick = function ($table, array $ints, array $texts, array $nullable = [], array $where = []) {
        $query = Capsule::table($table)->orderBy('id');
        foreach ($where as $column => $values) {
            $query = $query->whereIn($column, $values);
        }
        $out = [];
        foreach ($query->get()->all() as $row) {
            $row = (array) $row;
            $item = [];
            foreach ($ints as $c) {
                $item[$c] = (int) ($row[$c] ?? 0);
            }
            foreach ($texts as $c) {
                $item[$c] = (string) ($row[$c] ?? '');
            }
            foreach ($nullable as $c) {
                $item[$c] = isset($row[$c]) ? (string) $row[$c] : null;
            }
            $out[] = $item;
        }
        return $out;
    };
    $take = function (array $rows, array $order) {
        return array_map(function ($row) use ($order) {
            $item = [];
            foreach ($order as $c) {
                $item[$c] = $row[$c];
            }
            return $item;
        }, $rows);
    };

    $currencies = $take($pick('tblcurrencies', ['id', 'format', 'default'], ['code', 'prefix', 'suffix', 'rate']), ['id', 'code', 'prefix', 'suffix', 'format', 'rate', 'default']);
    $groups = $take($pick('tblproductgroups', ['id', 'hidden', 'order'], ['name', 'slug'], ['headline', 'tagline']), ['id', 'name', 'slug', 'headline', 'tagline', 'hidden', 'order']);
    $products = $take(
        $pick('tblproducts', ['id', 'gid', 'hidden', 'retired', 'order'], ['type', 'name', 'slug', 'description', 'paytype', 'servertype']),
        ['id', 'gid', 'type', 'name', 'slug', 'description', 'hidden', 'retired', 'paytype', 'servertype', 'order']
    );
    $pricing = $take(
        $pick('tblpricing', ['currency', 'relid'], array_merge(['type'], ZWR_PRICE_KEYS), [], ['type' => ['product', 'configoptions']]),
        array_merge(['type', 'currency', 'relid'], ZWR_PRICE_KEYS)
    );
    $configgroups = $pick('tblproductconfiggroups', ['id'], ['name', 'description']);
    $configoptions = $take(
        $pick('tblproductconfigoptions', ['id', 'gid', 'qtyminimum', 'qtymaximum', 'order', 'hidden'], ['optionname', 'optiontype']),
        ['id', 'gid', 'optionname', 'optiontype', 'qtyminimum', 'qtymaximum', 'order', 'hidden']
    );
    $configsuboptions = $take($pick('tblproductconfigoptionssub', ['id', 'configid', 'sortorder', 'hidden'], ['optionname']), ['id', 'configid', 'optionname', 'sortorder', 'hidden']);
    $configlinks = $take($pick('tblproductconfiglinks', ['gid', 'pid'], []), ['gid', 'pid']);
    $resources = $take($pick(ZWR_LEDGER, ['relid'], ['kind', 'name']), ['kind', 'name', 'relid']);
    $customfields = $take(
        $pick('tblcustomfields', ['id', 'relid', 'sortorder'], ['fieldname', 'fieldtype', 'adminonly', 'showorder'], [], ['type' => ['product']]),
        ['id', 'relid', 'fieldname', 'fieldtype', 'adminonly', 'showorder', 'sortorder']
    );

    // Counted here rather than with GROUP BY: the billing cycle is grouped exactly as stored,
    // whatever the column's collation, and services of a deleted client still count (currency 0).
    $services = Capsule::table('tblhosting')->select('userid', 'packageid', 'billingcycle')->where('domainstatus', 'Active')->orderBy('id')->get()->all();
    $currencyOf = [];
    $clientIds = array_values(array_unique(array_map(function ($s) {
        return (int) $s->userid;
    }, $services)));
    if ($clientIds) {
        foreach (Capsule::table('tblclients')->select('id', 'currency')->whereIn('id', $clientIds)->orderBy('id')->get()->all() as $c) {
            $currencyOf[(int) $c->id] = (int) $c->currency;
        }
    }
    $counts = [];
    foreach ($services as $s) {
        $entry = ['pid' => (int) $s->packageid, 'billingcycle' => (string) $s->billingcycle, 'currency' => $currencyOf[(int) $s->userid] ?? 0, 'count' => 0];
        $k = json_encode([$entry['pid'], $entry['billingcycle'], $entry['currency']]);
        if (!isset($counts[$k])) {
            $counts[$k] = $entry;
        }
        $counts[$k]['count']++;
    }
    $counts = array_values($counts);
    usort($counts, function ($a, $b) {
        return ($a['pid'] <=> $b['pid']) ?: (strcmp($a['billingcycle'], $b['billingcycle']) <=> 0) ?: ($a['currency'] <=> $b['currency']);
    });

    return [
        'currencies' => $currencies,
        'groups' => $groups,
        'products' => $products,
        'pricing' => $pricing,
        'configgroups' => $configgroups,
        'configoptions' => $configoptions,
        'configsuboptions' => $configsuboptions,
        'configlinks' => $configlinks,
        'resources' => $resources,
        'customfields' => $customfields,
        'servicecounts' => $counts,
    ];
});
