<?php
/** ReconcileGetCatalog: the whole product catalog as raw rows, in one call. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

try {
    zwr_ensure_ledger();
    $ints = function (array $rows, array $keys) {
        return array_map(function ($row) use ($keys) {
            foreach ($keys as $k) {
                if (array_key_exists($k, $row) && $row[$k] !== null) {
                    $row[$k] = (int) $row[$k];
                }
            }
            return $row;
        }, $rows);
    };
    $money = function (array $rows) {
        return array_map(function ($row) {
            foreach (ZWR_PRICE_KEYS as $k) {
                $row[$k] = number_format((float) $row[$k], 2, '.', '');
            }
            unset($row['id']);
            return $row;
        }, $rows);
    };
    $counts = Capsule::table('tblhosting')
        ->join('tblclients', 'tblclients.id', '=', 'tblhosting.userid')
        ->where('tblhosting.domainstatus', 'Active')
        ->groupBy('tblhosting.packageid', 'tblhosting.billingcycle', 'tblclients.currency')
        ->select('tblhosting.packageid as pid', 'tblhosting.billingcycle', 'tblclients.currency', Capsule::raw('COUNT(*) as count'));

    $apiresults = [
        'result' => 'success',
        'currencies' => $ints(zwr_rows(Capsule::table('tblcurrencies')->select('id', 'code', 'prefix', 'suffix', 'format', 'rate', 'default')->orderBy('id')), ['id', 'format', 'default']),
        'groups' => $ints(zwr_rows(Capsule::table('tblproductgroups')->select('id', 'name', 'slug', 'headline', 'tagline', 'hidden', 'order')->orderBy('id')), ['id', 'hidden', 'order']),
        'products' => $ints(zwr_rows(Capsule::table('tblproducts')->select('id', 'gid', 'type', 'name', 'slug', 'description', 'hidden', 'retired', 'paytype', 'servertype', 'order')->orderBy('id')), ['id', 'gid', 'hidden', 'retired', 'order']),
        'pricing' => $ints($money(zwr_rows(Capsule::table('tblpricing')->whereIn('type', ['product', 'configoptions'])->orderBy('id'))), ['currency', 'relid']),
        'configgroups' => $ints(zwr_rows(Capsule::table('tblproductconfiggroups')->select('id', 'name', 'description')->orderBy('id')), ['id']),
        'configoptions' => $ints(zwr_rows(Capsule::table('tblproductconfigoptions')->select('id', 'gid', 'optionname', 'optiontype', 'qtyminimum', 'qtymaximum', 'order', 'hidden')->orderBy('id')), ['id', 'gid', 'qtyminimum', 'qtymaximum', 'order', 'hidden']),
        'configsuboptions' => $ints(zwr_rows(Capsule::table('tblproductconfigoptionssub')->select('id', 'configid', 'optionname', 'sortorder', 'hidden')->orderBy('id')), ['id', 'configid', 'sortorder', 'hidden']),
        'configlinks' => $ints(zwr_rows(Capsule::table('tblproductconfiglinks')->select('gid', 'pid')->orderBy('id')), ['gid', 'pid']),
        'resources' => $ints(zwr_rows(Capsule::table(ZWR_LEDGER)->select('kind', 'name', 'relid')->orderBy('id')), ['relid']),
        'servicecounts' => $ints(zwr_rows($counts), ['pid', 'currency', 'count']),
    ];
    foreach ($apiresults['configoptions'] as &$option) {
        $option['optiontype'] = (string) $option['optiontype'];
    }
    unset($option);
} catch (\Throwable $e) {
    $apiresults = ['result' => 'error', 'message' => 'Database error: ' . $e->getMessage()];
}
