<?php
/**
 * ReconcileUpsertConfigGroup: create, update or adopt one configurable option group with all its
 * options, sub-options and their pricing. Options and sub-options absent from the request are
 * hidden, never deleted: services may still reference them.
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

/** Left part of a `key|Label` name: the stable key. */
function zwr_name_key($optionname)
{
    $pos = strpos($optionname, '|');
    return $pos === false ? null : substr($optionname, 0, $pos);
}

$apiresults = zwr_run(function () {
    $key = (string) zwr_param('key', '');
    if ($key === '') {
        throw new ZwrError('Parameter key is required');
    }
    $idParam = zwr_param('id');
    $id = zwr_resolve('ConfigOptionGroup', $key, $idParam === null || $idParam === '' ? null : zwr_int($idParam, 'id'), 'tblproductconfiggroups');
    $name = (string) zwr_param('name', '');
    if ($name === '') {
        throw new ZwrError('You must supply a name for the configurable option group');
    }
    $group = ['name' => $name, 'description' => (string) zwr_param('description', '')];
    $created = false;
    if ($id === null) {
        $id = (int) Capsule::table('tblproductconfiggroups')->insertGetId($group);
        $created = true;
    } else {
        Capsule::table('tblproductconfiggroups')->where('id', $id)->update($group);
    }

    $options = zwr_param('options', []);
    if ($options === '') {
        $options = [];
    }
    if (!is_array($options)) {
        throw new ZwrError('Parameter options must be an array');
    }
    $existingOptions = [];
    foreach (Capsule::table('tblproductconfigoptions')->where('gid', $id)->get()->all() as $row) {
        $existingOptions[(string) zwr_name_key($row->optionname)] = $row;
    }
    $result = [];
    $seenOptions = [];
    foreach (array_values($options) as $i => $option) {
        if (!is_array($option) || !isset($option['key']) || (string) $option['key'] === '') {
            throw new ZwrError("Parameter options[{$i}][key] is required");
        }
        $optKey = (string) $option['key'];
        if (strpos($optKey, '|') !== false) {
            throw new ZwrError("Option key {$optKey} must not contain |");
        }
        $type = (string) ($option['type'] ?? '');
        if (!in_array($type, ['1', '2', '3', '4'], true)) {
            throw new ZwrError("Parameter options[{$i}][type] must be 1, 2, 3 or 4");
        }
        $choices = $option['choices'] ?? [];
        if (!is_array($choices)) {
            throw new ZwrError("Parameter options[{$i}][choices] must be an array");
        }
        if (($type === '3' || $type === '4') && count($choices) !== 1) {
            throw new ZwrError('Quantity and yes/no options need exactly one sub-option');
        }
        $values = [
            'gid' => $id,
            'optionname' => $optKey . '|' . (string) ($option['label'] ?? $optKey),
            'optiontype' => $type,
            'qtyminimum' => zwr_int((string) ($option['min'] ?? '0'), "options[{$i}][min]"),
            'qtymaximum' => zwr_int((string) ($option['max'] ?? '0'), "options[{$i}][max]"),
            'order' => zwr_int((string) ($option['order'] ?? (string) $i), "options[{$i}][order]"),
            'hidden' => zwr_bool($option['hidden'] ?? '0'),
        ];
        if (isset($existingOptions[$optKey])) {
            $optionId = (int) $existingOptions[$optKey]->id;
            Capsule::table('tblproductconfigoptions')->where('id', $optionId)->update($values);
        } else {
            $optionId = (int) Capsule::table('tblproductconfigoptions')->insertGetId($values);
        }
        $seenOptions[$optKey] = true;

        $existingSubs = [];
        foreach (Capsule::table('tblproductconfigoptionssub')->where('configid', $optionId)->get()->all() as $row) {
            $subKey = ($type === '3' || $type === '4') ? '' : zwr_name_key($row->optionname);
            if ($subKey !== null && !isset($existingSubs[$subKey])) {
                $existingSubs[$subKey] = $row;
            }
        }
        $choiceIds = [];
        $seenSubs = [];
        foreach (array_values($choices) as $j => $choice) {
            if (!is_array($choice)) {
                throw new ZwrError("Parameter options[{$i}][choices][{$j}] must be an array");
            }
            $subKey = (string) ($choice['key'] ?? '');
            $label = (string) ($choice['label'] ?? $subKey);
            $subValues = [
                'configid' => $optionId,
                'optionname' => $subKey === '' ? $label : $subKey . '|' . $label,
                'sortorder' => zwr_int((string) ($choice['order'] ?? (string) $j), "options[{$i}][choices][{$j}][order]"),
                'hidden' => zwr_bool($choice['hidden'] ?? '0'),
            ];
            if (isset($existingSubs[$subKey])) {
                $subId = (int) $existingSubs[$subKey]->id;
                Capsule::table('tblproductconfigoptionssub')->where('id', $subId)->update($subValues);
            } else {
                $subId = (int) Capsule::table('tblproductconfigoptionssub')->insertGetId($subValues);
            }
            $seenSubs[$subKey] = true;
            zwr_write_pricing('configoptions', $subId, $choice['pricing'] ?? null, "options[{$i}][choices][{$j}][pricing]");
            $choiceIds[] = ['key' => $subKey, 'id' => $subId];
        }
        foreach ($existingSubs as $subKey => $row) {
            if (!isset($seenSubs[$subKey])) {
                Capsule::table('tblproductconfigoptionssub')->where('id', $row->id)->update(['hidden' => 1]);
            }
        }
        $result[] = ['key' => $optKey, 'id' => $optionId, 'choices' => $choiceIds];
    }
    foreach ($existingOptions as $optKey => $row) {
        if (!isset($seenOptions[$optKey])) {
            Capsule::table('tblproductconfigoptions')->where('id', $row->id)->update(['hidden' => 1]);
        }
    }
    zwr_record('ConfigOptionGroup', $key, $id);
    return ['id' => $id, 'created' => $created, 'options' => $result];
});
