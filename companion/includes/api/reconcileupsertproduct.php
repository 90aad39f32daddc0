<?php
/** ReconcileUpsertProduct: create, update or adopt one product with its pricing and option-group links. */

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
    $id = zwr_resolve('Product', $key, $idParam === null || $idParam === '' ? null : zwr_int($idParam, 'id'), 'tblproducts');

    $name = (string) zwr_param('name', '');
    if ($name === '') {
        throw new ZwrError('You must supply a name for the product');
    }
    $gid = zwr_param('gid');
    if ($gid === null || !preg_match('/^\d+$/', (string) $gid) || !Capsule::table('tblproductgroups')->where('id', (int) $gid)->exists()) {
        throw new ZwrError('You must supply a valid Product Group ID');
    }
    $type = (string) zwr_param('type', 'other');
    if (!in_array($type, ['hostingaccount', 'reselleraccount', 'server', 'other'], true)) {
        throw new ZwrError('Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"');
    }
    $paytype = (string) zwr_param('paytype', 'recurring');
    if (!in_array($paytype, ['free', 'onetime', 'recurring'], true)) {
        throw new ZwrError('Invalid pay type. Must be one of "free", "onetime" or "recurring"');
    }
    $now = zwr_now();
    $values = [
        'gid' => (int) $gid,
        'type' => $type,
        'name' => $name,
        'description' => (string) zwr_param('description', ''),
        'hidden' => zwr_bool(zwr_param('hidden', '0')),
        'paytype' => $paytype,
        'servertype' => (string) zwr_param('module', ''),
        'updated_at' => $now,
    ];
    $created = false;
    if ($id === null) {
        // Every NOT NULL column is supplied: WHMCS databases may run in strict sql_mode.
        $defaults = [
            'showdomainoptions' => 0, 'welcomeemail' => 0, 'stockcontrol' => 0, 'qty' => 0,
            'proratabilling' => 0, 'proratadate' => 0, 'proratachargenextmonth' => 0, 'allowqty' => 0,
            'subdomain' => '', 'autosetup' => '', 'servergroup' => 0,
            'freedomain' => '', 'freedomainpaymentterms' => '', 'freedomaintlds' => '',
            'recurringcycles' => 0, 'autoterminatedays' => 0, 'autoterminateemail' => 0,
            'configoptionsupgrade' => 0, 'billingcycleupgrade' => '', 'upgradeemail' => 0,
            'overagesenabled' => '', 'overagesdisklimit' => 0, 'overagesbwlimit' => 0,
            'overagesdiskprice' => '0.0000', 'overagesbwprice' => '0.0000', 'tax' => 0,
            'affiliateonetime' => 0, 'affiliatepaytype' => '', 'affiliatepayamount' => '0.00',
            'order' => 0, 'retired' => 0, 'is_featured' => 0, 'color' => '', 'tagline' => '',
            'short_description' => '',
        ];
        for ($n = 1; $n <= 24; $n++) {
            $defaults["configoption{$n}"] = '';
        }
        $id = (int) Capsule::table('tblproducts')->insertGetId(array_merge($defaults, $values, [
            'slug' => zwr_unique_slug('tblproducts', $name, 0),
            'created_at' => $now,
        ]));
        $created = true;
    } else {
        Capsule::table('tblproducts')->where('id', $id)->update($values);
    }

    $groups = zwr_param('configgroups', []);
    if ($groups === '') {
        $groups = [];
    }
    if (!is_array($groups)) {
        throw new ZwrError('Parameter configgroups must be an array of option group ids');
    }
    $want = [];
    foreach ($groups as $g) {
        $g = zwr_int((string) $g, 'configgroups');
        if (!Capsule::table('tblproductconfiggroups')->where('id', $g)->exists()) {
            throw new ZwrError("Configurable option group {$g} not found");
        }
        $want[$g] = true;
    }
    $have = [];
    foreach (Capsule::table('tblproductconfiglinks')->where('pid', $id)->get()->all() as $link) {
        if (!isset($want[(int) $link->gid])) {
            Capsule::table('tblproductconfiglinks')->where('id', $link->id)->delete();
        } else {
            $have[(int) $link->gid] = true;
        }
    }
    foreach (array_keys($want) as $g) {
        if (!isset($have[$g])) {
            Capsule::table('tblproductconfiglinks')->insert(['gid' => $g, 'pid' => $id]);
        }
    }

    zwr_write_pricing('product', $id, zwr_param('pricing'), 'pricing');
    zwr_record('Product', $key, $id);
    return ['id' => $id, 'created' => $created];
});
