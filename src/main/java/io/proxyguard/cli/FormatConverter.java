package io.proxyguard.cli;

import picocli.CommandLine;

import java.util.Locale;

/** Accepts text, json, sarif and policyreport in any case. */
final class FormatConverter implements CommandLine.ITypeConverter<ReportOptions.Output> {

    @Override
    public ReportOptions.Output convert(String value) {
        try {
            return ReportOptions.Output.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a format: use text, json, sarif or (audit) policyreport");
        }
    }
}
