package io.proxyguard.cli;

import io.proxyguard.engine.Severity;
import picocli.CommandLine;

/** Accepts deny and warn for {@code --fail-on}. */
final class SeverityConverter implements CommandLine.ITypeConverter<Severity> {

    @Override
    public Severity convert(String value) {
        try {
            Severity severity = Severity.parse(value);
            if (severity == Severity.OFF) {
                throw new IllegalArgumentException("off");
            }
            return severity;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a fail level: use deny or warn");
        }
    }
}
