<?php
/**
 * Reads base64 PHP-serialized strings (stdin, JSON list) and prints what PHP's own unserialize()
 * makes of each, as tagged JSON that keeps PHP's types: ["i","12"], ["s",<base64 bytes>],
 * ["b",true], ["n"], ["d",1.5], ["a",[[key, value], …]] with keys tagged "i" or "s";
 * ["error", <message>] when PHP rejects the input.
 */

error_reporting(E_ALL);
set_error_handler(function ($severity, $message) {
    throw new ErrorException($message, 0, $severity);
});

function tag($value)
{
    if (is_int($value)) {
        return ['i', (string) $value];
    }
    if (is_string($value)) {
        return ['s', base64_encode($value)];
    }
    if (is_bool($value)) {
        return ['b', $value];
    }
    if ($value === null) {
        return ['n'];
    }
    if (is_float($value)) {
        return ['d', $value];
    }
    if (is_array($value)) {
        $entries = [];
        foreach ($value as $k => $v) {
            $entries[] = [is_int($k) ? ['i', (string) $k] : ['s', base64_encode($k)], tag($v)];
        }
        return ['a', $entries];
    }
    return ['error', 'unexpected ' . gettype($value)];
}

$out = [];
foreach (json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR) as $encoded) {
    $bytes = base64_decode($encoded, true);
    try {
        $value = unserialize($bytes, ['allowed_classes' => false]);
        $out[] = ($value === false && $bytes !== 'b:0;') ? ['error', 'unserialize failed'] : tag($value);
    } catch (Throwable $e) {
        $out[] = ['error', $e->getMessage()];
    }
}
ini_set('serialize_precision', '-1');
echo json_encode($out);
