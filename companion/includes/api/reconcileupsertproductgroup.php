<?php
/** ReconcileUpsertProductGroup: create, update or adopt one product group. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

$apiresults = zwr_run(function () {
    $key = (string) zwr_param('key', '');
    if ($key === '') {
        throw new ZwrError('Parameter key is required');
    }
    $idParam = zwr_param('id');
    $id = zwr_resolve('ProductGroup', $key, $idParam === null || $idParam === '' ? null : zwr_int($idParam, 'id'), 'tblproductgroups');
    $name = (string) zwr_param('name', '');
    if ($name === '') {
        throw new ZwrError('You must supply a name for the product group');
    }
    $now = zwr_now();
    $values = [
        'name' => $name,
        'headline' => (string) zwr_param('headline', ''),
        'tagline' => (string) zwr_param('tagline', ''),
        'hidden' => zwr_bool(zwr_param('hidden', '0')),
        'order' => zwr_int((string) zwr_param('order', '0'), 'order'),
        'updated_at' => $now,
    ];
    $created = false;
    if ($id === null) {
        $id = (int) Capsule::table('tblproductgroups')->insertGetId(array_merge($values, [
            'slug' => zwr_unique_slug('tblproductgroups', $name, 0),
            'orderfrmtpl' => '',
            'disabledgateways' => '',
            'created_at' => $now,
        ]));
        $created = true;
    } else {
        Capsule::table('tblproductgroups')->where('id', $id)->update($values);
    }
    zwr_record('ProductGroup', $key, $id);
    return ['id' => $id, 'created' => $created];
});
