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
 * The room page's parameters. A request without a valid room goes to the lobby; one with a room but without a
 * valid name (a bookmarked room link) goes to the lobby with the room prefilled.
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

    /** The page's view action: sends incomplete requests back to the lobby. */
    public void check() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        if (!RoomName.isValid(room)) {
            external.redirect(Links.lobby(external.getRequestContextPath(), null));
            faces.responseComplete();
        } else if (!DisplayName.isValid(name)) {
            external.redirect(Links.lobby(external.getRequestContextPath(), room));
            faces.responseComplete();
        } else {
            name = DisplayName.of(name).value();
        }
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
