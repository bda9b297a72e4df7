package org.videoroom.lobby;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import java.io.IOException;
import org.videoroom.room.DisplayName;
import org.videoroom.room.RoomName;

/**
 * The lobby form: a room name and a display name, validated with Bean Validation; a valid submit redirects
 * (post/redirect/get) to the room page. A {@code ?room=} parameter prefills the room, e.g. when a bookmarked room
 * link had no name.
 */
@Named("lobby")
@RequestScoped
public class LobbyBean {

    @ValidRoomName
    private String room;

    @ValidDisplayName
    private String name;

    @PostConstruct
    void prefill() {
        String requested = FacesContext.getCurrentInstance().getExternalContext()
                .getRequestParameterMap().get("room");
        if (RoomName.isValid(requested)) {
            room = requested;
        }
    }

    public void join() throws IOException {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        RelativeRedirect.to(Links.room(external.getRequestContextPath(), room, DisplayName.of(name).value()));
    }

    public String getRoom() {
        return room;
    }

    public void setRoom(String room) {
        this.room = room == null ? null : room.strip();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
