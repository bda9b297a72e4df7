package org.videoroom.lobby;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.Map;
import org.videoroom.room.DisplayName;
import org.videoroom.room.RoomName;

/**
 * The room page's parameters. A request without a valid room goes to the lobby; one with a room shows the
 * pre-join step, with the name prefilled when the link carries a valid one (a shared room link has none: the
 * person types it there).
 */
@Named("roomPage")
@RequestScoped
public class RoomPageBean {

    private String room;
    private String name;

    @PostConstruct
    void read() {
        Map<String, String> params = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap();
        room = params.get("room");
        name = params.get("name");
    }

    /** The page's view action: sends requests without a valid room back to the lobby. */
    public void check() throws IOException {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        if (!RoomName.isValid(room)) {
            RelativeRedirect.to(Links.lobby(external.getRequestContextPath(), null));
        } else {
            name = DisplayName.isValid(name) ? DisplayName.of(name).value() : "";
        }
    }

    /** The longest display name, for the pre-join name field. */
    public int getMaxNameLength() {
        return DisplayName.MAX_LENGTH;
    }

    public String getRoom() {
        return room;
    }

    public String getName() {
        return name;
    }

    /** Where the leave button goes: the lobby, with this room prefilled. */
    public String getLobbyUrl() {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        return Links.lobby(external.getRequestContextPath(), room);
    }
}
