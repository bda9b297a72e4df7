package org.videoroom.lobby;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.videoroom.room.RoomName;

/** Bean Validation face of {@link RoomName}'s rule, so the lobby and the room share one definition. */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidRoomName.Validator.class)
public @interface ValidRoomName {

    String message() default "Use 1 to 64 letters, digits, - or _ for the room name.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ValidRoomName, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return RoomName.isValid(value);
        }
    }
}
