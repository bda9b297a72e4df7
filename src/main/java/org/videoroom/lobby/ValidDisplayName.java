package org.videoroom.lobby;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.videoroom.room.DisplayName;

/**
 * Bean Validation face of {@link DisplayName}'s rule. The message names the broken rule (required, too long,
 * control characters), so the user knows what to change.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidDisplayName.Validator.class)
public @interface ValidDisplayName {

    String message() default "Use 1 to 40 characters for your name.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ValidDisplayName, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = DisplayName.problem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            String sentence = Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + ".";
            // Escape Bean Validation's message-interpolation characters: the text is literal.
            context.buildConstraintViolationWithTemplate(sentence.replaceAll("([{}$\\\\])", "\\\\$1"))
                    .addConstraintViolation();
            return false;
        }
    }
}
