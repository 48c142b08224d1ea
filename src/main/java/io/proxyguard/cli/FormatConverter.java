package io.proxyguard.cli;

import io.proxyguard.report.ReportFormat;
import picocli.CommandLine;

/** Accepts text, json, sarif and policyreport in any case. */
final class FormatConverter implements CommandLine.ITypeConverter<ReportFormat> {

    @Override
    public ReportFormat convert(String value) {
        try {
            return ReportFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a format: use text, json, sarif or (audit) policyreport");
        }
    }
}
